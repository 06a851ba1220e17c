-- Eligibility asks which projects' gates turn an expert away on every routing decision.
CREATE INDEX expert_gates_expert ON expert_gates(expert_id, project_id);
