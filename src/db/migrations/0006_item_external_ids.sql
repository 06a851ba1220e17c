-- An external_id names one item of a project: an import skips a line whose external_id the
-- project already holds. Before, importing a line twice stored two items; of each such group
-- the first item (lowest id) keeps its external_id and the later ones get "#2", "#3", ...
-- appended, so the unique index can be built and no item, answer or link is lost. The new
-- names are computed into a table first (SQLite's UPDATE would see its own earlier rows), and
-- the temporary index keeps that a lookup per row rather than a scan.
CREATE INDEX items_external_id_dedup ON items(project_id, external_id, id);
CREATE TABLE items_external_id_renames AS
  SELECT i.id AS id, i.external_id || '#' || CAST((
      SELECT COUNT(*) + 1 FROM items e
      WHERE e.project_id = i.project_id AND e.external_id = i.external_id AND e.id < i.id
    ) AS TEXT) AS external_id
  FROM items i
  WHERE i.external_id IS NOT NULL AND EXISTS (
    SELECT 1 FROM items e
    WHERE e.project_id = i.project_id AND e.external_id = i.external_id AND e.id < i.id);
UPDATE items SET external_id = (
    SELECT r.external_id FROM items_external_id_renames r WHERE r.id = items.id)
  WHERE id IN (SELECT id FROM items_external_id_renames);
DROP TABLE items_external_id_renames;
DROP INDEX items_external_id_dedup;
CREATE UNIQUE INDEX items_external_id ON items(project_id, external_id) WHERE external_id IS NOT NULL;

-- Lines of an import that were skipped because their external_id was already stored.
ALTER TABLE imports ADD COLUMN existing BIGINT NOT NULL DEFAULT 0;
