-- Qualification exams (experts/exams.h): a bank of questions per domain and level, experts'
-- attempts at it and the grading of each drawn question.

-- One bank per domain and level. status: draft (being written; experts do not see it) or
-- active. valid_days NULL: a pass does not expire.
CREATE TABLE exams (
  id {{id}},
  domain TEXT NOT NULL,
  level INTEGER NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  time_limit_seconds BIGINT NOT NULL,
  pass_mark INTEGER NOT NULL,
  cooldown_seconds BIGINT NOT NULL,
  draw_count INTEGER NOT NULL,
  valid_days INTEGER,
  status TEXT NOT NULL,
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (domain, level)
);

-- A question of a bank: `question` is a template question (projects/template.h) as JSON,
-- `gold` the answer that earns its points (JSON; NULL: a reviewer grades it). Questions are
-- never edited or deleted, only retired, so every attempt can still show what it asked.
CREATE TABLE exam_questions (
  id {{id}},
  exam_id BIGINT NOT NULL REFERENCES exams(id),
  question TEXT NOT NULL,
  prompt TEXT NOT NULL,
  points INTEGER NOT NULL,
  gold TEXT,
  retired_at BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX exam_questions_exam ON exam_questions(exam_id);

-- An expert's attempt. state: in_progress, grading, passed, failed, expired. The exam's
-- domain, level, pass mark and validity are copied at the start, so a later change to the
-- bank does not move the goal posts of a running attempt. finished_at: when the result was
-- known (the last grade, the submit, or the deadline of an expired attempt); the retake
-- cool-down runs from the submit (or the deadline).
CREATE TABLE exam_attempts (
  id {{id}},
  exam_id BIGINT NOT NULL REFERENCES exams(id),
  expert_id BIGINT NOT NULL REFERENCES users(id),
  state TEXT NOT NULL,
  domain TEXT NOT NULL,
  level INTEGER NOT NULL,
  pass_mark INTEGER NOT NULL,
  valid_days INTEGER,
  started_at BIGINT NOT NULL,
  deadline BIGINT NOT NULL,
  saved_answers TEXT,
  submitted_answers TEXT,
  submitted_at BIGINT,
  finished_at BIGINT,
  max_points INTEGER NOT NULL,
  points INTEGER,
  score INTEGER,
  qualification_granted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX exam_attempts_expert ON exam_attempts(expert_id, exam_id);
CREATE UNIQUE INDEX exam_attempts_running ON exam_attempts(expert_id, exam_id)
  WHERE state = 'in_progress';
CREATE INDEX exam_attempts_grading ON exam_attempts(state) WHERE state = 'grading';

-- Each question drawn for an attempt, in the order shown, with its answer and grade.
-- points NULL: not graded yet (a reviewer's question awaiting review, or not submitted).
-- auto_graded: graded against the gold at the submit.
CREATE TABLE exam_answers (
  id {{id}},
  attempt_id BIGINT NOT NULL REFERENCES exam_attempts(id),
  question_id BIGINT NOT NULL REFERENCES exam_questions(id),
  position INTEGER NOT NULL,
  max_points INTEGER NOT NULL,
  answer TEXT,
  auto_graded INTEGER NOT NULL DEFAULT 0,
  points INTEGER,
  comment TEXT NOT NULL DEFAULT '',
  graded_by BIGINT REFERENCES users(id),
  graded_at BIGINT,
  UNIQUE (attempt_id, question_id)
);
CREATE INDEX exam_answers_attempt ON exam_answers(attempt_id, position);
