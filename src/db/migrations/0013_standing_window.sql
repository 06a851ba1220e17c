-- An expert's standing counts the judgments of its current window (since the last
-- reinstatement), so the skill threshold's minimum reads one row; and every expert who has
-- answered on a project has a standing, started here from the submissions stored before
-- standings were kept, so counting a submission never has to read the store.
ALTER TABLE expert_standings ADD COLUMN window_judgments INTEGER NOT NULL DEFAULT 0;
UPDATE expert_standings SET window_judgments = (SELECT COUNT(*) FROM submissions s WHERE
  s.project_id = expert_standings.project_id AND s.expert_id = expert_standings.expert_id AND
  s.submitted_at >= expert_standings.since);
INSERT INTO expert_standings (project_id, expert_id, org_id, gold_total, gold_correct,
  judgments, window_judgments, paused, reason, since, changed_at)
SELECT project_id, expert_id, org_id,
  SUM(CASE WHEN is_gold = 1 AND gold_correct IS NOT NULL THEN 1 ELSE 0 END),
  SUM(CASE WHEN is_gold = 1 AND gold_correct = 1 THEN 1 ELSE 0 END),
  COUNT(*), COUNT(*), 0, '', MIN(submitted_at), MAX(submitted_at)
FROM submissions WHERE 1 = 1 GROUP BY project_id, expert_id, org_id
ON CONFLICT (project_id, expert_id) DO NOTHING;
