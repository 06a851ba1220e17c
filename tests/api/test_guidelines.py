"""Guidelines: markdown with math that the lab writes for its experts, versioned with the
template. The lab reads them in the project; experts read the current ones in their project
list and, with every assignment, those of the version it was leased with."""

import unittest

from fachwerk_client import FachwerkTestCase, unique

V1 = "Mark a proof **incorrect** at its first wrong step; $\\sum_{k=1}^n k = \\frac{n(n+1)}{2}$."
V2 = "Version 2: also check the base case."


class GuidelinesTest(FachwerkTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lab, cls.owner_user, cls.owner = cls.create_lab_with_owner()
        cls.expert_user, cls.expert = cls.create_expert({"mathematics": 3})

    def work_project(self, project_id):
        listed = self.assertStatus(self.expert.get("/api/v1/work/projects"), 200).json
        return next(w for w in listed["projects"] if w["id"] == project_id)

    def test_experts_see_the_guidelines_of_the_version_they_work_on(self):
        p = self.create_project(self.owner, preset="classification", domain="mathematics",
                                description="internal: batch 7 for the Q3 model",
                                guidelines=V1)
        self.assertEqual((p["guidelines"], p["template_version"]), (V1, 1))
        self.import_items(self.owner, p["id"], [{"text": f"proof {n}"} for n in range(3)])
        w = self.work_project(p["id"])
        self.assertEqual((w["guidelines"], w["template_version"]), (V1, 1))
        self.assertNotIn("description", w, "the description is the lab's, not the experts'")

        first = self.assertStatus(self.next_task(self.expert, p["id"]), 200).json["assignment"]
        self.assertEqual((first["guidelines"], first["template_version"]), (V1, 1))
        self.assertNotIn("internal", str(first))

        r = self.assertStatus(self.owner.patch(f"/api/v1/projects/{p['id']}",
                                               {"guidelines": V2}), 200).json
        self.assertEqual((r["guidelines"], r["template_version"]), (V2, 2))
        self.assertEqual(r["template"], p["template"], "the template is carried forward")
        w = self.work_project(p["id"])
        self.assertEqual((w["guidelines"], w["template_version"]), (V2, 2))
        second = self.assertStatus(self.next_task(self.expert, p["id"]), 200).json["assignment"]
        self.assertEqual((second["guidelines"], second["template_version"]), (V2, 2))
        active = self.assertStatus(self.expert.get("/api/v1/assignments"), 200).json
        by_id = {a["id"]: a for a in active["assignments"]}
        self.assertEqual(by_id[first["id"]]["guidelines"], V1, "leased under version 1")
        self.assertEqual(by_id[second["id"]]["guidelines"], V2)

        template = dict(p["template"])
        template["questions"] = [q for q in template["questions"] if q["name"] == "label"]
        r = self.assertStatus(self.owner.patch(f"/api/v1/projects/{p['id']}",
                                               {"template": template}), 200).json
        self.assertEqual((r["guidelines"], r["template_version"]), (V2, 3),
                         "a new template keeps the guidelines")
        r = self.assertStatus(self.owner.patch(f"/api/v1/projects/{p['id']}",
                                               {"template": template, "guidelines": ""}), 200).json
        self.assertEqual((r["guidelines"], r["template_version"]), ("", 4), "one version for both")

    def test_guidelines_default_to_empty_and_are_size_limited(self):
        p = self.create_project(self.owner, preset="sft", domain="mathematics")
        self.assertEqual(p["guidelines"], "")
        name = unique("too-long")
        r = self.owner.post("/api/v1/projects", {"name": name, "preset": "sft", "domain": None,
                                                 "guidelines": "x" * (64 * 1024 + 1)})
        err = self.assertError(r, 400, "invalid_argument")
        self.assertEqual([(d["field"], d["code"]) for d in err["details"]],
                         [("guidelines", "too_long")])
        ok = self.create_project(self.owner, preset="sft", domain=None,
                                 guidelines="é" * (32 * 1024))
        self.assertEqual(len(ok["guidelines"]), 32 * 1024)
        r = self.owner.patch(f"/api/v1/projects/{p['id']}",
                             {"guidelines": "x" * (64 * 1024 + 1), "name": "renamed"})
        self.assertError(r, 400, "invalid_argument")
        self.assertIn("guidelines", r.detail_fields)
        got = self.assertStatus(self.owner.get(f"/api/v1/projects/{p['id']}"), 200).json
        self.assertEqual((got["name"], got["template_version"]), (p["name"], 1))
        r = self.owner.patch(f"/api/v1/projects/{p['id']}", {"guidelines": 5})
        self.assertError(r, 400, "invalid_argument")
        self.assertIn("guidelines", r.detail_fields)


if __name__ == "__main__":
    unittest.main()
