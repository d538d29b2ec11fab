-- The single sign-on identity a staff account is bound to: the provider's
-- issuer and subject ("<issuer> <sub>"), recorded at the first sign-on. A
-- later sign-on with the same email but another subject (an address given to
-- someone else at the provider) is refused.
ALTER TABLE staff ADD COLUMN sso_subject TEXT;
CREATE UNIQUE INDEX staff_sso_subject ON staff (sso_subject) WHERE sso_subject IS NOT NULL;
