-- Guidelines: what the project's experts read before they answer (markdown with LaTeX math).
-- They are versioned with the template: each template version carries its own, and an
-- assignment shows those of the version it was leased with. projects.guidelines holds the
-- current version's, as projects.template holds its template.
ALTER TABLE template_versions ADD COLUMN guidelines TEXT NOT NULL DEFAULT '';
ALTER TABLE projects ADD COLUMN guidelines TEXT NOT NULL DEFAULT '';
