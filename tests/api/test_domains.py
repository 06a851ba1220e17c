"""Domains: the list every user reads, the operator's additions, and projects and
qualifications that must name a known domain (or, for a project, null: every expert)."""

import unittest

from fachwerk_client import FachwerkTestCase, unique

SEEDED = ["physics", "mathematics", "chemistry", "biology", "medicine", "law", "accounting",
          "finance", "computer_science"]


class DomainsTest(FachwerkTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lab, cls.owner_user, cls.owner = cls.create_lab_with_owner()
        cls.expert_user, cls.expert = cls.create_expert({"physics": 3})

    def names(self, client):
        body = self.assertStatus(client.get("/api/v1/domains"), 200).json
        self.assertEqual([lv["level"] for lv in body["levels"]], [1, 2, 3, 4, 5])
        return [d["name"] for d in body["domains"]]

    def project_names(self):
        listed = self.assertStatus(self.owner.get("/api/v1/projects"), 200).json["projects"]
        return {p["name"] for p in listed}

    def test_every_user_reads_the_seeded_domains_in_order(self):
        for client in (self.owner, self.expert, self.op):
            self.assertEqual(self.names(client)[:9], SEEDED)
        self.assertError(self.client().get("/api/v1/domains"), 401, "unauthenticated")

    def test_the_operator_adds_a_domain_that_projects_and_qualifications_can_name(self):
        r = self.op.post("/api/v1/domains", {"name": "linguistics", "title": "Linguistics"})
        self.assertEqual(self.assertStatus(r, 201).json,
                         {"name": "linguistics", "title": "Linguistics", "parent": None})
        self.assertIn("linguistics", self.names(self.expert))
        r = self.op.patch("/api/v1/domains/linguistics", {"title": "Linguistics and philology"})
        self.assertEqual(self.assertStatus(r, 200).json["title"], "Linguistics and philology")
        self.assertError(self.op.post("/api/v1/domains", {"name": "linguistics", "title": "L"}),
                         409, "conflict", "domain_exists")

        ling_user, ling = self.create_expert({"linguistics": 2})
        p = self.create_project(self.owner, preset="classification", domain="linguistics",
                                min_level=2)
        self.assertEqual(p["domain"], "linguistics")
        self.import_items(self.owner, p["id"], [{"text": "Is this sentence grammatical?"}])
        a = self.assertStatus(self.next_task(ling, p["id"]), 200).json["assignment"]
        self.assertIsNotNone(a, "an expert in the added domain gets the project's task")
        self.assertStatus(self.next_task(self.expert, p["id"]), 403)

    def test_bad_domain_requests_name_the_field(self):
        cases = [({"name": "Optics", "title": "Optics"}, "name"),
                 ({"name": "o", "title": "Optics"}, "name"),
                 ({"name": "optics-2", "title": "Optics"}, "name"),
                 ({"name": "optics"}, "title"),
                 ({"name": "optics", "title": "   "}, "title"),
                 ({"name": "optics", "title": "x" * 201}, "title"),
                 ({"name": "optics", "title": "Optics", "parent": "astrology"}, "parent"),
                 ({"name": "optics", "title": "Optics", "parent": "tax_law"}, "parent"),
                 ({"name": "optics", "title": "Optics", "colour": "red"}, "colour")]
        for body, field in cases:
            with self.subTest(body=body):
                r = self.op.post("/api/v1/domains", body)
                self.assertError(r, 400, "invalid_argument")
                self.assertIn(field, r.detail_fields, r.describe())
        self.assertNotIn("optics", self.names(self.op))
        self.assertError(self.op.patch("/api/v1/domains/astrology", {"title": "Astrology"}),
                         404, "not_found")
        r = self.op.patch("/api/v1/domains/law", {"title": ""})
        self.assertError(r, 400, "invalid_argument")
        self.assertIn("title", r.detail_fields)
        self.assertError(self.owner.post("/api/v1/domains", {"name": "optics", "title": "O"}),
                         403, "permission_denied")
        self.assertError(self.expert.patch("/api/v1/domains/law", {"title": "L"}),
                         403, "permission_denied")

    def test_a_project_must_name_a_known_domain_or_null(self):
        made = []
        cases = [({"domain": "astrology"}, "unknown"), ({"domain": "physcs"}, "unknown"),
                 ({"domain": ""}, "unknown"), ({"domain": "Physics"}, "unknown"),
                 ({}, "required"), ({"domain": 7}, "type"),
                 ({"domain": None, "min_level": 2}, "requires_domain")]
        for extra, code in cases:
            with self.subTest(body=extra):
                name = unique("bad-domain")
                made.append(name)
                r = self.owner.post("/api/v1/projects",
                                    {"name": name, "preset": "classification", **extra})
                err = self.assertError(r, 400, "invalid_argument")
                field = "min_level" if code == "requires_domain" else "domain"
                self.assertIn((field, code), [(d["field"], d["code"]) for d in err["details"]],
                              r.describe())
                if code == "unknown":
                    self.assertIn("/api/v1/domains", err["details"][0]["message"])
        self.assertFalse(self.project_names() & set(made), "no project was made")

    def test_a_null_domain_opens_the_project_to_every_expert(self):
        p = self.create_project(self.owner, preset="classification", domain=None)
        self.assertIsNone(p["domain"])
        self.assertEqual(p["min_level"], 0)
        self.import_items(self.owner, p["id"], [{"text": "open to all"}])
        _, unqualified = self.create_expert({})
        listed = self.assertStatus(unqualified.get("/api/v1/work/projects"), 200).json
        mine = [w for w in listed["projects"] if w["id"] == p["id"]]
        self.assertEqual(len(mine), 1)
        self.assertIsNone(mine[0]["domain"])
        a = self.assertStatus(self.next_task(unqualified, p["id"]), 200).json["assignment"]
        self.assertIsNotNone(a)

    def test_patch_cannot_change_the_domain(self):
        p = self.create_project(self.owner, preset="classification", domain="physics")
        r = self.owner.patch(f"/api/v1/projects/{p['id']}", {"domain": "law"})
        self.assertError(r, 400, "invalid_argument")
        self.assertIn("domain", r.detail_fields)

    def test_qualifications_name_a_known_domain(self):
        path = f"/api/v1/experts/{self.expert_user['id']}/qualifications/astrology"
        r = self.op.put(path, {"level": 3, "reason": "r"})
        self.assertError(r, 400, "invalid_argument")
        self.assertIn("domain", r.detail_fields)
        r = self.op.delete(path)
        self.assertError(r, 400, "invalid_argument")


if __name__ == "__main__":
    unittest.main()
