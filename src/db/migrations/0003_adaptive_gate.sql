-- Adaptive redundancy's change test and expert gate (docs/quality.md, "Expert gate and change
-- test"). adaptive_change: an item also settles once its remaining judgments would change its
-- answer with probability below this (0: off). adaptive_gate: an expert whose answers carry less
-- than this share of a perfect expert's information gets no more items of the project (0: off).
ALTER TABLE projects ADD COLUMN adaptive_change DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE projects ADD COLUMN adaptive_gate DOUBLE PRECISION NOT NULL DEFAULT 0;

-- The experts the gate turns away from a project, as the latest quality report pass found them:
-- their information and judgments on the project's adaptive question.
CREATE TABLE expert_gates (
  project_id BIGINT NOT NULL REFERENCES projects(id),
  expert_id BIGINT NOT NULL REFERENCES users(id),
  information DOUBLE PRECISION NOT NULL,
  judgments BIGINT NOT NULL,
  PRIMARY KEY (project_id, expert_id)
);
