-- Core schema: instance settings, labs, users, tokens, expert qualifications, projects,
-- items, assignments, submissions, imports. Every tenant-owned row carries org_id.

CREATE TABLE instance_settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE orgs (
  id {{id}},
  name TEXT NOT NULL,
  slug TEXT NOT NULL UNIQUE,
  pseudonym_key TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE users (
  id {{id}},
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  password_hash TEXT,
  role TEXT NOT NULL,
  org_id BIGINT REFERENCES orgs(id),
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);
CREATE INDEX users_org ON users(org_id);

CREATE TABLE tokens (
  id {{id}},
  token_hash TEXT NOT NULL UNIQUE,
  user_id BIGINT NOT NULL REFERENCES users(id),
  org_id BIGINT REFERENCES orgs(id),
  kind TEXT NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  expires_at BIGINT,
  revoked_at BIGINT
);
CREATE INDEX tokens_user ON tokens(user_id);

CREATE TABLE qualifications (
  id {{id}},
  user_id BIGINT NOT NULL REFERENCES users(id),
  domain TEXT NOT NULL,
  level INTEGER NOT NULL,
  reviewer INTEGER NOT NULL DEFAULT 0,
  granted_at BIGINT NOT NULL,
  UNIQUE (user_id, domain)
);

CREATE TABLE projects (
  id {{id}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  preset TEXT NOT NULL DEFAULT '',
  template TEXT NOT NULL,
  template_version INTEGER NOT NULL DEFAULT 1,
  domain TEXT NOT NULL DEFAULT '',
  min_level INTEGER NOT NULL DEFAULT 0,
  redundancy INTEGER NOT NULL DEFAULT 1,
  gold_rate DOUBLE PRECISION NOT NULL DEFAULT 0,
  lease_seconds BIGINT NOT NULL,
  status TEXT NOT NULL DEFAULT 'active',
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX projects_org ON projects(org_id);
CREATE INDEX projects_routing ON projects(status, domain);

CREATE TABLE template_versions (
  project_id BIGINT NOT NULL REFERENCES projects(id),
  version INTEGER NOT NULL,
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  template TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (project_id, version)
);

CREATE TABLE imports (
  id {{id}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  project_id BIGINT NOT NULL REFERENCES projects(id),
  status TEXT NOT NULL,
  items BIGINT NOT NULL DEFAULT 0,
  gold_items BIGINT NOT NULL DEFAULT 0,
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  finished_at BIGINT
);
CREATE INDEX imports_project ON imports(project_id);

CREATE TABLE items (
  id {{id}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  project_id BIGINT NOT NULL REFERENCES projects(id),
  import_id BIGINT REFERENCES imports(id),
  external_id TEXT,
  payload TEXT NOT NULL,
  priority INTEGER NOT NULL DEFAULT 0,
  is_gold INTEGER NOT NULL DEFAULT 0,
  gold_answer TEXT,
  taken INTEGER NOT NULL DEFAULT 0,
  submitted INTEGER NOT NULL DEFAULT 0,
  is_open INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL
);
CREATE INDEX items_open ON items(project_id, is_gold, priority DESC, id) WHERE is_open = 1;
CREATE INDEX items_project ON items(project_id, id);

CREATE TABLE assignments (
  id {{id}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  project_id BIGINT NOT NULL REFERENCES projects(id),
  item_id BIGINT NOT NULL REFERENCES items(id),
  expert_id BIGINT NOT NULL REFERENCES users(id),
  is_gold INTEGER NOT NULL DEFAULT 0,
  template_version INTEGER NOT NULL DEFAULT 1,
  state TEXT NOT NULL,
  leased_at BIGINT NOT NULL,
  lease_expires_at BIGINT NOT NULL,
  last_heartbeat_at BIGINT NOT NULL,
  active_seconds BIGINT NOT NULL DEFAULT 0,
  skip_reason TEXT,
  finished_at BIGINT,
  UNIQUE (item_id, expert_id)
);
CREATE INDEX assignments_active ON assignments(lease_expires_at) WHERE state = 'active';
CREATE INDEX assignments_expert ON assignments(expert_id, state);

CREATE TABLE submissions (
  id {{id}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  project_id BIGINT NOT NULL REFERENCES projects(id),
  item_id BIGINT NOT NULL REFERENCES items(id),
  assignment_id BIGINT NOT NULL UNIQUE REFERENCES assignments(id),
  expert_id BIGINT NOT NULL REFERENCES users(id),
  idempotency_key TEXT NOT NULL,
  answer TEXT NOT NULL,
  template_version INTEGER NOT NULL,
  active_seconds BIGINT NOT NULL,
  leased_at BIGINT NOT NULL,
  submitted_at BIGINT NOT NULL,
  is_gold INTEGER NOT NULL DEFAULT 0,
  gold_correct INTEGER,
  UNIQUE (expert_id, idempotency_key)
);
CREATE INDEX submissions_project ON submissions(project_id, id);
