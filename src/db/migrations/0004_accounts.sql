-- Account hardening: login throttling, session details, lab invitations.

-- Failed logins, one row per throttled subject: an account (the BLAKE2b of its normalized
-- e-mail, whether or not a user has it) or a client address (the BLAKE2b of the address).
-- Written only on failures (and deleted on a successful login to the account); a row is dead
-- once expires_at has passed, and failures delete dead rows through login_failures_expiry.
CREATE TABLE login_failures (
  subject TEXT PRIMARY KEY,
  failures BIGINT NOT NULL,
  last_failure_at BIGINT NOT NULL,
  blocked_until BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX login_failures_expiry ON login_failures(expires_at);

-- Where a session was opened (sessions only; NULL for API tokens and older sessions).
ALTER TABLE tokens ADD COLUMN user_agent TEXT;
ALTER TABLE tokens ADD COLUMN address TEXT;

-- Invitations to join a lab. The secret goes only to the invitee; the row keeps its hash.
CREATE TABLE invitations (
  id {{id}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  email TEXT NOT NULL,
  role TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  invited_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  accepted_at BIGINT,
  withdrawn_at BIGINT,
  user_id BIGINT REFERENCES users(id)
);
CREATE INDEX invitations_org ON invitations(org_id, id);
