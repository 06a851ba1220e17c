-- The expert network (experts/): sub-fields of the domains, expert profiles and affiliations,
-- credentials with their evidence, self sign-up, the grounds of every qualification, what a
-- project requires beyond a qualification (exam score, credential kinds, languages, terms,
-- exclusions, competitors, standing thresholds) and each expert's standing per project.

-- A sub-field names its domain; a qualification in a sub-field counts for its domain.
ALTER TABLE domains ADD COLUMN parent TEXT;
INSERT INTO domains (name, title, parent) VALUES ('quantum_field_theory', 'Quantum field theory', 'physics');
INSERT INTO domains (name, title, parent) VALUES ('condensed_matter', 'Condensed matter physics', 'physics');
INSERT INTO domains (name, title, parent) VALUES ('number_theory', 'Number theory', 'mathematics');
INSERT INTO domains (name, title, parent) VALUES ('probability', 'Probability and statistics', 'mathematics');
INSERT INTO domains (name, title, parent) VALUES ('organic_chemistry', 'Organic chemistry', 'chemistry');
INSERT INTO domains (name, title, parent) VALUES ('molecular_biology', 'Molecular biology', 'biology');
INSERT INTO domains (name, title, parent) VALUES ('cardiology', 'Cardiology', 'medicine');
INSERT INTO domains (name, title, parent) VALUES ('oncology', 'Oncology', 'medicine');
INSERT INTO domains (name, title, parent) VALUES ('tax_law', 'Tax law', 'law');
INSERT INTO domains (name, title, parent) VALUES ('contract_law', 'Contract law', 'law');
INSERT INTO domains (name, title, parent) VALUES ('auditing', 'Auditing', 'accounting');
INSERT INTO domains (name, title, parent) VALUES ('derivatives', 'Derivatives', 'finance');
INSERT INTO domains (name, title, parent) VALUES ('machine_learning', 'Machine learning', 'computer_science');
INSERT INTO domains (name, title, parent) VALUES ('security', 'Computer security', 'computer_science');

-- Why a qualification was granted: an exam attempt (with its score), a verified credential,
-- or an operator's decision with a reason; and until when it holds.
ALTER TABLE qualifications ADD COLUMN grounds TEXT NOT NULL DEFAULT 'operator';
ALTER TABLE qualifications ADD COLUMN grounds_id BIGINT;
ALTER TABLE qualifications ADD COLUMN score INTEGER;
ALTER TABLE qualifications ADD COLUMN expires_at BIGINT;
ALTER TABLE qualifications ADD COLUMN reason TEXT NOT NULL DEFAULT '';
ALTER TABLE qualifications ADD COLUMN granted_by BIGINT REFERENCES users(id);

-- What an expert says about themselves. languages: a JSON array of language tags.
CREATE TABLE expert_profiles (
  user_id BIGINT PRIMARY KEY REFERENCES users(id),
  headline TEXT NOT NULL DEFAULT '',
  languages TEXT NOT NULL DEFAULT '[]',
  time_zone TEXT NOT NULL DEFAULT 'UTC',
  weekly_hours_cap INTEGER,
  updated_at BIGINT NOT NULL
);

-- The domains and levels an expert declares (a claim; qualifications are what was checked).
CREATE TABLE profile_domains (
  user_id BIGINT NOT NULL REFERENCES users(id),
  domain TEXT NOT NULL,
  level INTEGER NOT NULL,
  PRIMARY KEY (user_id, domain)
);

-- Employers and clients an expert declares, for conflicts of interest. organisation_key is the
-- name normalised (case folded, spaces collapsed), which a project's competitors are matched on.
CREATE TABLE affiliations (
  id {{id}},
  user_id BIGINT NOT NULL REFERENCES users(id),
  organisation TEXT NOT NULL,
  organisation_key TEXT NOT NULL,
  kind TEXT NOT NULL,
  since BIGINT,
  until BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX affiliations_user ON affiliations(user_id);

-- Degrees, licences, certifications and employment, each with its evidence file (kept in the
-- data directory under evidence_file) and the operator's decision. status: draft (no evidence
-- yet), pending, verified, rejected, withdrawn.
CREATE TABLE credentials (
  id {{id}},
  user_id BIGINT NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  issuer TEXT NOT NULL DEFAULT '',
  domain TEXT,
  level INTEGER,
  identifier_kind TEXT,
  identifier TEXT,
  issued_at BIGINT,
  expires_at BIGINT,
  status TEXT NOT NULL,
  evidence_file TEXT,
  evidence_name TEXT,
  evidence_type TEXT,
  evidence_bytes BIGINT,
  evidence_sha256 TEXT,
  submitted_at BIGINT,
  decided_by BIGINT REFERENCES users(id),
  decided_at BIGINT,
  decision_reason TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX credentials_user ON credentials(user_id);
CREATE INDEX credentials_queue ON credentials(status, submitted_at);

-- Invitations to sign up as an expert (the instance's sign-up mode "invitation"); the secret
-- goes only to the invitee, the row keeps its hash.
CREATE TABLE expert_invitations (
  id {{id}},
  email TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  invited_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  accepted_at BIGINT,
  user_id BIGINT REFERENCES users(id)
);

-- What a project requires beyond a qualification in its domain at its level. JSON arrays:
-- credential_kinds ("licence", ...), languages (tags), competitors (normalised organisation
-- names). terms_version 0: no terms. The standing thresholds pause an expert whose gold
-- accuracy or skill falls below them once they have standing_min_judgments judgments.
ALTER TABLE projects ADD COLUMN min_exam_score INTEGER NOT NULL DEFAULT 0;
ALTER TABLE projects ADD COLUMN credential_kinds TEXT NOT NULL DEFAULT '[]';
ALTER TABLE projects ADD COLUMN languages TEXT NOT NULL DEFAULT '[]';
ALTER TABLE projects ADD COLUMN competitors TEXT NOT NULL DEFAULT '[]';
ALTER TABLE projects ADD COLUMN terms_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE projects ADD COLUMN min_gold_accuracy DOUBLE PRECISION;
ALTER TABLE projects ADD COLUMN min_skill DOUBLE PRECISION;
ALTER TABLE projects ADD COLUMN standing_min_judgments INTEGER NOT NULL DEFAULT 10;

-- Every version of a project's terms (or NDA), so an acceptance names the text it accepted.
CREATE TABLE project_terms (
  project_id BIGINT NOT NULL REFERENCES projects(id),
  version INTEGER NOT NULL,
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  text TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (project_id, version)
);

CREATE TABLE terms_acceptances (
  project_id BIGINT NOT NULL REFERENCES projects(id),
  expert_id BIGINT NOT NULL REFERENCES users(id),
  version INTEGER NOT NULL,
  accepted_at BIGINT NOT NULL,
  PRIMARY KEY (project_id, expert_id, version)
);
CREATE INDEX terms_acceptances_expert ON terms_acceptances(expert_id);

-- Experts a lab has excluded from one of its projects by name (pseudonym).
CREATE TABLE project_exclusions (
  project_id BIGINT NOT NULL REFERENCES projects(id),
  expert_id BIGINT NOT NULL REFERENCES users(id),
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (project_id, expert_id)
);
CREATE INDEX project_exclusions_expert ON project_exclusions(expert_id);

-- An expert's standing on a project: gold checks and the quality engine's skill estimate since
-- `since` (a reinstatement starts a new window), and whether it paused them.
CREATE TABLE expert_standings (
  project_id BIGINT NOT NULL REFERENCES projects(id),
  expert_id BIGINT NOT NULL REFERENCES users(id),
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  gold_total INTEGER NOT NULL DEFAULT 0,
  gold_correct INTEGER NOT NULL DEFAULT 0,
  judgments INTEGER NOT NULL DEFAULT 0,
  skill DOUBLE PRECISION,
  paused INTEGER NOT NULL DEFAULT 0,
  reason TEXT NOT NULL DEFAULT '',
  since BIGINT NOT NULL,
  changed_at BIGINT NOT NULL,
  PRIMARY KEY (project_id, expert_id)
);
CREATE INDEX expert_standings_paused ON expert_standings(expert_id) WHERE paused = 1;

-- Who paused or reinstated whom on which project, and why (by_user NULL: the automatic pause).
CREATE TABLE standing_changes (
  id {{id}},
  project_id BIGINT NOT NULL REFERENCES projects(id),
  expert_id BIGINT NOT NULL REFERENCES users(id),
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  action TEXT NOT NULL,
  reason TEXT NOT NULL,
  by_user BIGINT REFERENCES users(id),
  at BIGINT NOT NULL
);
CREATE INDEX standing_changes_project ON standing_changes(project_id, expert_id);
