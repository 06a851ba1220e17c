-- Quality reports, item aggregates and adaptive redundancy.
-- A project stops asking for judgments on an item once the item's aggregated answer reaches
-- adaptive_threshold (0: adaptive redundancy off) with at least adaptive_min judgments; its
-- redundancy is then the most judgments an item gets. A settled item stays closed.
ALTER TABLE projects ADD COLUMN adaptive_threshold DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE projects ADD COLUMN adaptive_min INTEGER NOT NULL DEFAULT 2;
ALTER TABLE items ADD COLUMN settled INTEGER NOT NULL DEFAULT 0;

-- The latest report of a project: summary JSON (questions, agreement, experts) and how far
-- into the project's submissions it has read.
CREATE TABLE quality_reports (
  project_id BIGINT PRIMARY KEY REFERENCES projects(id),
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  computed_at BIGINT NOT NULL,
  last_submission_id BIGINT NOT NULL,
  submissions BIGINT NOT NULL,
  body TEXT NOT NULL
);

-- The aggregated answer of one question of one item: `answer` is the JSON value in the
-- template's answer form, confidence its posterior probability (or, for numbers, 1 - the
-- normalised spread).
CREATE TABLE item_aggregates (
  item_id BIGINT NOT NULL REFERENCES items(id),
  question TEXT NOT NULL,
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  project_id BIGINT NOT NULL REFERENCES projects(id),
  answer TEXT NOT NULL,
  confidence DOUBLE PRECISION NOT NULL,
  judgments INTEGER NOT NULL,
  PRIMARY KEY (item_id, question)
);
CREATE INDEX item_aggregates_project ON item_aggregates (project_id, item_id);
