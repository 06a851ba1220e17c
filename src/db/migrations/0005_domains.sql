-- The expert domains as a table, so the operator can add to them (POST /api/v1/domains).
-- Seeded with the nine the code knew before, in the same order. A domain is never deleted:
-- qualifications and projects name it. Sub-fields can later point at a parent row.
CREATE TABLE domains (
  id {{id}},
  name TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL
);
INSERT INTO domains (name, title) VALUES ('physics', 'Physics');
INSERT INTO domains (name, title) VALUES ('mathematics', 'Mathematics');
INSERT INTO domains (name, title) VALUES ('chemistry', 'Chemistry');
INSERT INTO domains (name, title) VALUES ('biology', 'Biology');
INSERT INTO domains (name, title) VALUES ('medicine', 'Medicine');
INSERT INTO domains (name, title) VALUES ('law', 'Law');
INSERT INTO domains (name, title) VALUES ('accounting', 'Accounting');
INSERT INTO domains (name, title) VALUES ('finance', 'Finance');
INSERT INTO domains (name, title) VALUES ('computer_science', 'Computer science');
