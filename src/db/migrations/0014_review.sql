-- Review: what a project reviews (its policy; no row means the defaults), the acceptance of
-- every submission (pending until its approval window ends, or held for review), each
-- reviewer's claim on a round of review and its decision, and the rounds of rework (the
-- original answer and each revision, sealed like answers).
CREATE TABLE review_policies (
  project_id BIGINT PRIMARY KEY REFERENCES projects(id),
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  mode TEXT NOT NULL,
  rate_new DOUBLE PRECISION NOT NULL,
  rate_low_accuracy DOUBLE PRECISION NOT NULL,
  rate_trusted DOUBLE PRECISION NOT NULL,
  new_judgments INTEGER NOT NULL,
  low_gold_accuracy DOUBLE PRECISION NOT NULL,
  approval_window_days INTEGER NOT NULL,
  speed_flag_ratio DOUBLE PRECISION NOT NULL,
  time_cap_seconds BIGINT,
  second_review_rate DOUBLE PRECISION NOT NULL,
  updated_by BIGINT REFERENCES users(id),
  updated_at BIGINT NOT NULL
);

-- status: pending (due_at: accepted automatically then), in_review (hold: why), rework (the
-- expert revises until rework_due_at), accepted, rejected. `claim_review_id` is the open claim
-- (a reviews row) while claim_expires_at is ahead; `second_wanted` asks a second reviewer for
-- an opinion on a reviewer's decision.
CREATE TABLE acceptances (
  submission_id BIGINT PRIMARY KEY REFERENCES submissions(id),
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  project_id BIGINT NOT NULL REFERENCES projects(id),
  assignment_id BIGINT NOT NULL REFERENCES assignments(id),
  item_id BIGINT NOT NULL REFERENCES items(id),
  expert_id BIGINT NOT NULL REFERENCES users(id),
  status TEXT NOT NULL,
  hold TEXT,
  round INTEGER NOT NULL DEFAULT 1,
  final_round INTEGER NOT NULL DEFAULT 0,
  second_wanted INTEGER NOT NULL DEFAULT 0,
  active_seconds BIGINT NOT NULL,
  time_cap_seconds BIGINT,
  submitted_at BIGINT NOT NULL,
  due_at BIGINT,
  rework_started_at BIGINT,
  rework_due_at BIGINT,
  preferred_reviewer BIGINT REFERENCES users(id),
  preferred_until BIGINT,
  claim_review_id BIGINT,
  claim_expires_at BIGINT,
  outcome TEXT,
  reason TEXT,
  comment TEXT NOT NULL DEFAULT '',
  approve_over_cap INTEGER NOT NULL DEFAULT 0,
  decided_by BIGINT REFERENCES users(id),
  decided_at BIGINT
);
CREATE INDEX acceptances_due ON acceptances(due_at) WHERE status = 'pending';
CREATE INDEX acceptances_queue ON acceptances(project_id, submitted_at) WHERE status = 'in_review';
CREATE INDEX acceptances_rework ON acceptances(rework_due_at) WHERE status = 'rework';
CREATE INDEX acceptances_second ON acceptances(project_id) WHERE second_wanted = 1;
CREATE INDEX acceptances_expert ON acceptances(expert_id, submission_id);
CREATE INDEX acceptances_project ON acceptances(project_id, status);
-- Work stored before review existed counts as accepted when it was submitted.
INSERT INTO acceptances (submission_id, org_id, project_id, assignment_id, item_id, expert_id,
  status, outcome, active_seconds, submitted_at, decided_at)
SELECT id, org_id, project_id, assignment_id, item_id, expert_id, 'accepted', 'auto_accepted',
  active_seconds, submitted_at, submitted_at
FROM submissions WHERE 1 = 1;

-- One reviewer's claim on one round of a submission, and what they decided. A reviewer sees a
-- round once (the unique triple); `second_opinion` marks a second opinion, which decides nothing.
-- state: claimed, decided, released, expired.
CREATE TABLE reviews (
  id {{id}},
  submission_id BIGINT NOT NULL REFERENCES submissions(id),
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  project_id BIGINT NOT NULL REFERENCES projects(id),
  reviewer_id BIGINT NOT NULL REFERENCES users(id),
  round INTEGER NOT NULL,
  second_opinion INTEGER NOT NULL DEFAULT 0,
  state TEXT NOT NULL,
  claimed_at BIGINT NOT NULL,
  claim_expires_at BIGINT NOT NULL,
  outcome TEXT,
  reason TEXT,
  comment TEXT NOT NULL DEFAULT '',
  scores TEXT,
  approve_over_cap INTEGER NOT NULL DEFAULT 0,
  decided_at BIGINT,
  UNIQUE (submission_id, round, reviewer_id)
);
CREATE INDEX reviews_reviewer ON reviews(reviewer_id, state);
CREATE INDEX reviews_project ON reviews(project_id, submission_id);

-- The answers of a reworked submission by round: round 1 is the original, each revision the
-- next; the submission's own answer is the latest. Idempotent by (submission, key).
CREATE TABLE submission_revisions (
  submission_id BIGINT NOT NULL REFERENCES submissions(id),
  round INTEGER NOT NULL,
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  answer TEXT NOT NULL,
  active_seconds BIGINT NOT NULL,
  idempotency_key TEXT,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (submission_id, round),
  UNIQUE (submission_id, idempotency_key)
);

-- Review outcomes in an expert's standing on a project.
ALTER TABLE expert_standings ADD COLUMN reviews INTEGER NOT NULL DEFAULT 0;
ALTER TABLE expert_standings ADD COLUMN reviews_accepted INTEGER NOT NULL DEFAULT 0;
