-- A project's review form: the questions a reviewer answers about each answer (the template's
-- question types, as JSON {"questions": [...]}). NULL: the template's rubric and rating
-- questions, each optional.
ALTER TABLE review_policies ADD COLUMN form TEXT;
