"""Imports are idempotent by external_id: a retried upload stores nothing twice and says how
many lines it found stored already; an external_id twice in one upload is a bad line."""

import unittest

from fachwerk_client import FachwerkTestCase, jsonl


class ImportIdempotencyTest(FachwerkTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lab, cls.owner_user, cls.owner = cls.create_lab_with_owner()

    def project(self):
        return self.create_project(self.owner, preset="classification", domain="physics")

    def upload(self, project_id, rows):
        return self.owner.post(f"/api/v1/projects/{project_id}/items", raw=jsonl(rows))

    def counts(self, project_id):
        return self.assertStatus(self.owner.get(f"/api/v1/projects/{project_id}"),
                                 200).json["counts"]

    def test_a_retried_upload_stores_no_item_twice(self):
        p = self.project()
        rows = [{"data": {"text": f"claim {n}"}, "external_id": f"c-{n}"} for n in range(5)]
        rows.append({"data": {"text": "gold"}, "external_id": "g-1", "gold": {"label": "correct"}})
        first = self.assertStatus(self.upload(p["id"], rows), 201).json
        self.assertEqual((first["items"], first["gold_items"], first["existing"]), (5, 1, 0))
        retry = self.assertStatus(self.upload(p["id"], rows), 201).json
        self.assertEqual((retry["items"], retry["gold_items"], retry["existing"]), (0, 0, 6))
        self.assertNotEqual(retry["import_id"], first["import_id"])
        # A longer upload that repeats the first: only the new lines are stored.
        more = rows + [{"data": {"text": "claim 5"}, "external_id": "c-5"}]
        again = self.assertStatus(self.upload(p["id"], more), 201).json
        self.assertEqual((again["items"], again["existing"]), (1, 6))
        self.assertEqual(self.counts(p["id"])["items"], 6)
        self.assertEqual(self.counts(p["id"])["gold_items"], 1)
        items = self.list_items(self.owner, p["id"])
        self.assertEqual(sorted(i["external_id"] for i in items),
                         sorted([f"c-{n}" for n in range(6)] + ["g-1"]))

    def test_a_stored_item_is_not_changed_by_a_line_with_its_external_id(self):
        p = self.project()
        self.import_items(self.owner, p["id"], [{"data": {"text": "v1"}, "external_id": "x"}])
        r = self.assertStatus(self.upload(p["id"], [{"data": {"text": "v2"},
                                                      "external_id": "x"}]), 201).json
        self.assertEqual((r["items"], r["existing"]), (0, 1))
        self.assertEqual([i["data"]["text"] for i in self.list_items(self.owner, p["id"])], ["v1"])

    def test_lines_without_external_id_are_always_new(self):
        p = self.project()
        rows = [{"text": "anonymous"}, {"data": {"text": "also anonymous"}}]
        self.import_items(self.owner, p["id"], rows)
        r = self.assertStatus(self.upload(p["id"], rows), 201).json
        self.assertEqual((r["items"], r["existing"]), (2, 0))
        self.assertEqual(self.counts(p["id"])["items"], 4)

    def test_external_ids_are_per_project(self):
        rows = [{"data": {"text": "shared"}, "external_id": "same"}]
        for p in (self.project(), self.project()):
            r = self.assertStatus(self.upload(p["id"], rows), 201).json
            self.assertEqual((r["items"], r["existing"]), (1, 0))

    def test_an_external_id_twice_in_one_upload_is_a_bad_line(self):
        p = self.project()
        rows = [{"data": {"text": "a"}, "external_id": "a"},
                {"data": {"text": "b"}, "external_id": "b"},
                {"data": {"text": "a twice"}, "external_id": "a"}]
        err = self.assertError(self.upload(p["id"], rows), 422, "unprocessable")
        self.assertEqual([(d["field"], d["code"]) for d in err["details"]],
                         [("line 3", "duplicate_external_id")])
        self.assertIn('"a"', err["details"][0]["message"])
        self.assertEqual(self.counts(p["id"])["items"], 0, "nothing was stored")
        # Bad lines of other kinds are reported first, and still nothing is stored.
        err = self.assertError(self.owner.post(f"/api/v1/projects/{p['id']}/items",
                                               raw=jsonl(rows) + "{oops\n"), 422)
        self.assertEqual([(d["field"], d["code"]) for d in err["details"]],
                         [("line 4", "invalid_json")])
        self.assertEqual(self.list_items(self.owner, p["id"]), [])


if __name__ == "__main__":
    unittest.main()
