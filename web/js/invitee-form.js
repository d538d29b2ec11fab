// The meeting page's "Add invitee" form: name, role label, age group, and the
// adult's email, or for an invitee under 16 their parent's or carer's name and
// email (all mail for a child goes to the parent or carer, never to the child).

import { errorMessage } from './api.js';
import { addInvitation } from './api-meetings.js';
import { el, field, input, button, setStatus, onSubmit } from './dom.js';
import { showLinkOnce } from './invite-link.js';
import { inviteeItem } from './invitee-item.js';

/** @typedef {import('./invitee-item.js').MeetingContext} MeetingContext */
/** @typedef {import('./api-meetings.js').AgeGroup} AgeGroup */
/** @typedef {import('./api-meetings.js').Invitation} Invitation */

/**
 * A radio button with its label.
 * @param {string} id
 * @param {AgeGroup} value
 * @param {string} label
 * @returns {{ wrap: HTMLElement, radio: HTMLInputElement }}
 */
function radio(id, value, label) {
  const r = input(id, 'radio', { name: 'invitee-age', value });
  return { radio: r, wrap: el('div', { className: 'field checkbox', children: [r, el('label', { text: label, attrs: { for: id } })] }) };
}

/**
 * What the host is told after adding someone who gets no link on screen.
 * @param {Invitation} inv
 * @param {MeetingContext} ctx
 * @returns {string}
 */
function addedMessage(inv, ctx) {
  const cleared = ctx.meeting().approval === 'approved' || ctx.meeting().approval === 'not_needed';
  if (inv.delivery === 'manual') {
    return `${inv.name} has been added. Their personal link can be made once the meeting has been approved: use \u201cNew link\u201d then.`;
  }
  const to = inv.ageGroup === 'under16' ? `their parent or carer, ${inv.guardianName} (${inv.guardianEmail})` : inv.email;
  const consent = inv.ageGroup === 'under16' ? ' Their parent or carer is asked for consent; the link works once they give it.' : '';
  return `${inv.name} has been added. Their invitation will be emailed to ${to}${cleared ? '' : ' once the meeting has been approved'}.${consent}`;
}

/**
 * The "Add invitee" form.
 * @param {MeetingContext} ctx
 * @param {HTMLElement} list The invitee list, where the new row goes.
 * @returns {HTMLFormElement}
 */
export function addInviteeForm(ctx, list) {
  const mail = ctx.mailConfigured;
  const name = input('invitee-name', 'text', { required: '', maxlength: '100', autocomplete: 'off' });
  const role = input('invitee-role', 'text', { required: '', maxlength: '200', autocomplete: 'off' });
  const adult = radio('invitee-age-adult', 'adult', 'Adult, or 16 or over');
  adult.radio.defaultChecked = true;
  adult.radio.checked = true;
  const child = radio('invitee-age-under16', 'under16', 'Under 16: invited through a parent or carer');
  const age = el('fieldset', { className: 'choice', children: [el('legend', { text: 'Age' }), adult.wrap, child.wrap] });
  if (!mail) {
    child.radio.disabled = true;
    const hintId = 'invitee-age-under16-hint';
    child.radio.setAttribute('aria-describedby', hintId);
    child.wrap.append(el('span', { className: 'hint', text: 'Needs email to be set up.', attrs: { id: hintId } }));
  }
  const email = input('invitee-email', 'email', { autocomplete: 'off', maxlength: '254' });
  if (mail) email.required = true;
  const emailField = field(mail ? 'Email address' : 'Email address (optional)', email, mail
    ? 'Their invitation, with their personal link, is emailed here.'
    : 'Email is not set up, so their link is shown to you to pass on yourself.');
  const guardianName = input('invitee-guardian-name', 'text', { maxlength: '100', autocomplete: 'off' });
  const guardianEmail = input('invitee-guardian-email', 'email', { maxlength: '254', autocomplete: 'off' });
  const guardian = el('div', { className: 'guardian-fields', attrs: { id: 'invitee-guardian' }, children: [
    el('p', { className: 'hint', text: 'All mail goes to the parent or carer, never to the child. They are asked for consent, and the link works only once they give it.' }),
    field('Parent or carer\u2019s name', guardianName),
    field('Parent or carer\u2019s email address', guardianEmail),
  ] });
  const reapproval = el('p', { className: 'hint reapproval' });
  const formStatus = el('p', { className: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });
  formStatus.hidden = true;

  /** Shows the fields for the chosen age group. */
  const showAge = () => {
    const under16 = child.radio.checked;
    guardian.hidden = !under16;
    guardianName.required = under16;
    guardianEmail.required = under16;
    emailField.hidden = under16;
    email.required = mail && !under16;
  };
  /** Says whether adding someone sends the meeting back for approval. */
  const showReapproval = () => {
    const a = ctx.meeting().approval;
    reapproval.textContent = a === 'approved' || a === 'declined'
      ? 'Adding someone sends the meeting back for approval: no invitations go out until an approver approves it again.' : '';
    reapproval.hidden = reapproval.textContent === '';
  };
  adult.radio.addEventListener('change', showAge);
  child.radio.addEventListener('change', showAge);
  showAge();
  showReapproval();

  const form = el('form', {
    className: 'card',
    attrs: { id: 'add-invitee-form', 'aria-labelledby': 'add-invitee-title', novalidate: '' },
    children: [
      el('h2', { text: 'Add invitee', attrs: { id: 'add-invitee-title' } }),
      el('p', { text: 'Each invitee gets a personal link that lets one person in at a time. The host sees this name and role label in the waiting room.' }),
      field('Name', name),
      field('Role label', role, 'How the host will know them, e.g. \u201cparent of Sam, 9B\u201d.'),
      age,
      emailField,
      guardian,
      reapproval,
      formStatus,
      button('Add invitee', { type: 'submit', className: 'primary' }),
    ],
  });
  onSubmit(form, async () => {
    const under16 = child.radio.checked;
    /** @type {HTMLInputElement | undefined} */
    let missing;
    if (!name.value.trim()) missing = name;
    else if (!role.value.trim()) missing = role;
    else if (under16 && !guardianName.value.trim()) missing = guardianName;
    else if (under16 && !guardianEmail.value.trim()) missing = guardianEmail;
    else if (!under16 && mail && !email.value.trim()) missing = email;
    if (missing) {
      setStatus(formStatus, under16
        ? 'Please give a name, a role label, and the parent\u2019s or carer\u2019s name and email address.'
        : `Please give a name, a role label${mail ? ' and an email address' : ''}.`, 'error');
      missing.focus();
      return;
    }
    setStatus(formStatus, 'Adding\u2026');
    try {
      const { invitation, link } = await addInvitation(ctx.meetingId, {
        name: name.value.trim(),
        roleLabel: role.value.trim(),
        email: under16 ? '' : email.value.trim(),
        ageGroup: under16 ? 'under16' : 'adult',
        guardianName: under16 ? guardianName.value.trim() : '',
        guardianEmail: under16 ? guardianEmail.value.trim() : '',
      });
      form.reset();
      showAge();
      list.querySelector('.empty-item')?.remove();
      list.append(inviteeItem(invitation, ctx));
      await ctx.refresh(); // adding someone may send the meeting back for approval
      showReapproval();
      if (link) {
        setStatus(formStatus, '');
        showLinkOnce(ctx.linkSlot, invitation.name, link);
      } else {
        setStatus(formStatus, addedMessage(invitation, ctx), 'ok');
        name.focus();
      }
    } catch (err) {
      setStatus(formStatus, errorMessage(err), 'error');
    }
  });
  return form;
}
