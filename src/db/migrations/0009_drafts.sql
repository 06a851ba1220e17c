-- Drafts: what an expert has typed so far into an assignment's answer, saved by the workbench
-- so it comes back after a reload or on another device. One per assignment (the last save
-- wins); `answer` is sealed like a submitted answer. A draft exists only while its assignment
-- is active: the transaction that submits, skips, expires or revokes the assignment deletes it.
CREATE TABLE assignment_drafts (
  assignment_id BIGINT PRIMARY KEY REFERENCES assignments(id),
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  answer TEXT NOT NULL,
  saved_at BIGINT NOT NULL
);
