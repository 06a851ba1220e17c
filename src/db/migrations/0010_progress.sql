-- A project's progress (projects/progress.h), cheap enough for every project of a list.
--
-- Counters over the project's regular items, kept by the item pool in the transaction of each
-- change: items, complete ones (settled, or with `redundancy` judgments), the judgments still
-- wanted (over incomplete items, redundancy minus judgments), judgments and the first one's
-- time. A project's counters are the sums over its rows: judgments add to the row their item
-- picks (1..8), so concurrent submits rarely wait for one row; everything else writes row 0.
CREATE TABLE project_progress (
  project_id BIGINT NOT NULL REFERENCES projects(id),
  shard INTEGER NOT NULL,
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  items BIGINT NOT NULL DEFAULT 0,
  complete BIGINT NOT NULL DEFAULT 0,
  remaining_judgments BIGINT NOT NULL DEFAULT 0,
  submissions BIGINT NOT NULL DEFAULT 0,
  first_submission_at BIGINT,
  PRIMARY KEY (project_id, shard)
);

-- The running total of a project's judgments as recorded at `at` (about once a minute while it
-- changes); the judgments of the last hour or day are the total less the one recorded then.
CREATE TABLE progress_snapshots (
  project_id BIGINT NOT NULL REFERENCES projects(id),
  at BIGINT NOT NULL,
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  submissions BIGINT NOT NULL,
  PRIMARY KEY (project_id, at)
);

-- The counters of the projects there are, counted once.
INSERT INTO project_progress (project_id, shard, org_id, items, complete, remaining_judgments,
                              submissions, first_submission_at)
SELECT p.id, 0, p.org_id,
  (SELECT COUNT(*) FROM items i WHERE i.project_id = p.id AND i.is_gold = 0),
  (SELECT COUNT(*) FROM items i WHERE i.project_id = p.id AND i.is_gold = 0
     AND (i.settled = 1 OR i.submitted >= p.redundancy)),
  (SELECT COALESCE(SUM(p.redundancy - i.submitted), 0) FROM items i
     WHERE i.project_id = p.id AND i.is_gold = 0 AND i.settled = 0
       AND i.submitted < p.redundancy),
  (SELECT COUNT(*) FROM submissions s WHERE s.project_id = p.id AND s.is_gold = 0),
  (SELECT MIN(s.submitted_at) FROM submissions s WHERE s.project_id = p.id AND s.is_gold = 0)
FROM projects p;

-- Their past judgments as records: for each hour in which a project had any, the total just
-- before the hour's first judgment and just after its last one.
WITH hours AS (
  SELECT project_id, MIN(org_id) AS org_id, MIN(submitted_at) AS first_at,
         MAX(submitted_at) AS last_at, COUNT(*) AS n,
         SUM(COUNT(*)) OVER (PARTITION BY project_id ORDER BY submitted_at / 3600) AS total
  FROM submissions WHERE is_gold = 0 GROUP BY project_id, submitted_at / 3600
)
INSERT INTO progress_snapshots (project_id, at, org_id, submissions)
SELECT project_id, first_at, org_id, total - n FROM hours
UNION
SELECT project_id, last_at + 1, org_id, total FROM hours;
