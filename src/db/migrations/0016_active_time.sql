-- Active time is credited per expert, not per tab: the moment up to which an expert's active
-- time has been credited on any assignment, so a heartbeat from a second tab or device never
-- counts the same seconds again.
CREATE TABLE expert_activity (
  expert_id BIGINT PRIMARY KEY REFERENCES users(id),
  credited_until BIGINT NOT NULL
);

-- An expert's credited active time per assignment and UTC day (`day`: the day's first second),
-- the rows of their timesheet.
CREATE TABLE time_entries (
  assignment_id BIGINT NOT NULL REFERENCES assignments(id),
  day BIGINT NOT NULL,
  expert_id BIGINT NOT NULL REFERENCES users(id),
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  project_id BIGINT NOT NULL REFERENCES projects(id),
  seconds BIGINT NOT NULL,
  PRIMARY KEY (assignment_id, day)
);
CREATE INDEX time_entries_expert ON time_entries(expert_id, day);

-- An expert's dispute of the time credited to one assignment: the seconds they claim in all,
-- their comment, and the operator's resolution (accepted with the seconds allowed, or
-- rejected, with a comment). At most one open dispute per assignment.
CREATE TABLE time_disputes (
  id {{id}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  project_id BIGINT NOT NULL REFERENCES projects(id),
  assignment_id BIGINT NOT NULL REFERENCES assignments(id),
  expert_id BIGINT NOT NULL REFERENCES users(id),
  credited_seconds BIGINT NOT NULL,
  claimed_seconds BIGINT NOT NULL,
  comment TEXT NOT NULL,
  status TEXT NOT NULL,
  allowed_seconds BIGINT,
  resolution TEXT,
  resolved_by BIGINT REFERENCES users(id),
  resolved_at BIGINT,
  transaction_id BIGINT,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX time_disputes_open ON time_disputes(assignment_id) WHERE status = 'open';
CREATE INDEX time_disputes_expert ON time_disputes(expert_id, id);
CREATE INDEX time_disputes_status ON time_disputes(status, id);
