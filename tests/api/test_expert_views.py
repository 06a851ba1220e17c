"""What an expert sees of their work: the projects open to them (with open items that leave out
the ones they have had, and a hint when there are none), why a request for work found none,
and their finished assignments (submitted with the answer, skipped with the reason), paged."""

import unittest

from fachwerk_client import FachwerkTestCase


class ExpertViewsTest(FachwerkTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lab, cls.owner_user, cls.owner = cls.create_lab_with_owner()

    def project(self, n):
        p = self.create_project(self.owner, preset="classification", domain="law", redundancy=2)
        self.import_items(self.owner, p["id"], [{"text": f"clause {i}"} for i in range(n)])
        return p

    def open_items(self, expert, project_id):
        body = self.assertStatus(expert.get("/api/v1/work/projects"), 200).json
        return {p["id"]: p["open_items"] for p in body["projects"]}.get(project_id)

    def test_a_new_expert_learns_why_there_is_no_work(self):
        _, newcomer = self.create_expert({})
        body = self.assertStatus(newcomer.get("/api/v1/work/projects"), 200).json
        self.assertEqual(body["projects"], [])
        self.assertIn("qualif", body["hint"])
        none = self.assertStatus(self.next_task(newcomer), 200).json
        self.assertIsNone(none["assignment"])
        self.assertEqual(none["reason"], "no_projects")
        self.assertIn("qualif", none["message"])

    def test_open_items_leave_out_what_the_expert_had_and_next_says_when_all_is_taken(self):
        _, ann = self.create_expert({"law": 3})
        p = self.project(3)
        self.assertEqual(self.open_items(ann, p["id"]), 3)
        a = self.assertStatus(self.next_task(ann, p["id"]), 200).json["assignment"]
        self.assertStatus(ann.post(f"/api/v1/assignments/{a['id']}/skip", {"reason": "conflict"}), 200)
        # Skipped: open for others, never again for ann.
        self.assertEqual(self.open_items(ann, p["id"]), 2)
        for _ in range(2):
            b = self.assertStatus(self.next_task(ann, p["id"]), 200).json["assignment"]
            self.assertStatus(self.submit(ann, b["id"], {"label": "correct"}), 201)
        self.assertEqual(self.open_items(ann, p["id"]), 0)
        none = self.assertStatus(self.next_task(ann, p["id"]), 200).json
        self.assertIsNone(none["assignment"])
        self.assertEqual(none["reason"], "no_open_items")
        self.assertTrue(none["message"])

    def test_finished_assignments_by_state_newest_first_in_pages(self):
        _, ben = self.create_expert({"law": 3})
        p = self.project(4)
        submitted = []
        for i in range(3):
            a = self.assertStatus(self.next_task(ben, p["id"]), 200).json["assignment"]
            self.assertStatus(self.submit(ben, a["id"], {"label": "correct" if i % 2 else "incorrect"}), 201)
            submitted.append(a["id"])
        s = self.assertStatus(self.next_task(ben, p["id"]), 200).json["assignment"]
        self.assertStatus(ben.post(f"/api/v1/assignments/{s['id']}/skip", {"reason": "not my field"}), 200)

        self.assertEqual(self.assertStatus(ben.get("/api/v1/assignments"), 200).json["assignments"], [])
        page1 = self.assertStatus(ben.get("/api/v1/assignments?state=submitted&limit=2"), 200).json
        self.assertEqual([a["id"] for a in page1["assignments"]], submitted[::-1][:2])
        first = page1["assignments"][0]
        self.assertEqual(first["state"], "submitted")
        self.assertEqual(first["answer"], {"label": "incorrect"})
        self.assertTrue(first["finished_at"])
        self.assertEqual(first["item"]["data"]["text"].split()[0], "clause")
        page2 = self.assertStatus(
            ben.get(f"/api/v1/assignments?state=submitted&limit=2&before={page1['next_before']}"), 200).json
        self.assertEqual([a["id"] for a in page2["assignments"]], [submitted[0]])
        self.assertIsNone(page2["next_before"])

        skipped = self.assertStatus(ben.get("/api/v1/assignments?state=skipped"), 200).json["assignments"]
        self.assertEqual([(a["id"], a["skip_reason"]) for a in skipped], [(s["id"], "not my field")])
        self.assertNotIn("answer", skipped[0])

    def test_bad_listing_parameters_name_the_field(self):
        _, cy = self.create_expert({"law": 3})
        for query, field in [("state=done", "state"), ("state=submitted&limit=0", "limit"),
                             ("state=submitted&limit=x", "limit"), ("state=submitted&before=prj_x", "before")]:
            err = self.assertError(cy.get(f"/api/v1/assignments?{query}"), 400, "invalid_argument")
            self.assertEqual(err["details"][0]["field"], field, query)

    def test_another_experts_finished_work_is_not_listed(self):
        _, dee = self.create_expert({"law": 3})
        _, eve = self.create_expert({"law": 3})
        p = self.project(1)
        a = self.assertStatus(self.next_task(dee, p["id"]), 200).json["assignment"]
        self.assertStatus(self.submit(dee, a["id"], {"label": "correct"}), 201)
        self.assertEqual(self.assertStatus(eve.get("/api/v1/assignments?state=submitted"), 200)
                         .json["assignments"], [])


class PresetsAndExportTest(FachwerkTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lab, _, cls.owner = cls.create_lab_with_owner()

    def test_presets_come_wrapped_like_every_list(self):
        body = self.assertStatus(self.owner.get("/api/v1/presets"), 200).json
        self.assertIsInstance(body, dict)
        self.assertIn("sft", {p["name"] for p in body["presets"]})

    def test_an_export_names_its_format(self):
        p = self.create_project(self.owner, preset="classification", domain="law")
        err = self.assertError(self.owner.get(f"/api/v1/projects/{p['id']}/export"), 400, "invalid_argument")
        self.assertEqual(err["details"][0]["field"], "format")
        self.assertStatus(self.owner.get(f"/api/v1/projects/{p['id']}/export?format=raw"), 200)


if __name__ == "__main__":
    unittest.main()
