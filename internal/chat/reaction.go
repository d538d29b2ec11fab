package chat

// Reaction is a brief reaction a participant shows everyone, such as applause.
// Only the five below exist; anything else is refused (ParseReaction), so a
// reaction never carries free text.
type Reaction string

// The reactions.
const (
	Applause Reaction = "applause"
	ThumbsUp Reaction = "thumbs_up"
	Heart    Reaction = "heart"
	Laugh    Reaction = "laugh"
	Surprise Reaction = "surprise"
)

// Reactions returns every reaction, in the order a reactions bar shows them.
func Reactions() []Reaction {
	return []Reaction{Applause, ThumbsUp, Heart, Laugh, Surprise}
}

// ParseReaction returns the reaction s names, and false if it names none.
func ParseReaction(s string) (Reaction, bool) {
	switch r := Reaction(s); r {
	case Applause, ThumbsUp, Heart, Laugh, Surprise:
		return r, true
	}
	return "", false
}
