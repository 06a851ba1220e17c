"""One item's submissions as the lab reads them (the lab console's item page): every answer,
oldest first, each a raw export line with the expert's pseudonym; none for a fresh item;
404 for an item of another project or lab."""

import unittest

from test_submissions import _Base


class ItemSubmissionsTest(_Base):

    def path(self, project_id, item_id):
        return f"/api/v1/projects/{project_id}/items/{item_id}/submissions"

    def test_lists_each_answer_with_the_experts_pseudonym(self):
        p = self.project_with_items(2, redundancy=2)
        a = self.take(self.ann, p["id"])
        b = self.take(self.ben, p["id"])
        self.assertEqual(a["item"]["id"], b["item"]["id"])
        self.assertStatus(self.submit(self.ann, a["id"], {"label": "correct"}), 201)
        self.assertStatus(self.submit(self.ben, b["id"], {"label": "incorrect"}), 201)

        body = self.assertStatus(self.owner.get(self.path(p["id"], a["item"]["id"])), 200).json
        subs = body["submissions"]
        self.assertEqual([s["answer"] for s in subs], [{"label": "correct"}, {"label": "incorrect"}])
        self.assertEqual({s["item_id"] for s in subs}, {a["item"]["id"]})
        self.assertEqual(set(subs[0]) >= {"submission_id", "data", "expert", "active_seconds",
                                          "submitted_at", "is_gold", "template_version"}, True)
        self.assertTrue(all(s["expert"].startswith("ex_") for s in subs))
        self.assertNotEqual(subs[0]["expert"], subs[1]["expert"])
        # The same lines the raw export writes for this item.
        raw = self.owner.get(f"/api/v1/projects/{p['id']}/export?format=raw").text
        self.assertIn(subs[0]["submission_id"], raw)

        other = [i for i in self.assertStatus(self.owner.get(f"/api/v1/projects/{p['id']}/items"),
                                              200).json["items"] if i["id"] != a["item"]["id"]][0]
        self.assertEqual(self.owner.get(self.path(p["id"], other["id"])).json, {"submissions": []})

    def test_an_item_of_another_project_or_lab_is_not_found(self):
        p = self.project_with_items(1)
        q = self.project_with_items(1)
        item = self.owner.get(f"/api/v1/projects/{p['id']}/items").json["items"][0]
        self.assertError(self.owner.get(self.path(q["id"], item["id"])), 404, "not_found")
        self.assertError(self.owner.get(self.path(p["id"], "itm_nonsense")), 404, "not_found")
        _, _, other_owner = self.create_lab_with_owner()
        self.assertError(other_owner.get(self.path(p["id"], item["id"])), 404, "not_found")


if __name__ == "__main__":
    unittest.main()
