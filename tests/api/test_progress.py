"""Progress of a project for the lab console: every project of the list and one project carry
`progress` (items complete, in progress and remaining, judgments lately, the pace and when the
rest will be in), gold items left out, another lab's projects nowhere."""

import datetime
import unittest

from test_submissions import _Base

FIELDS = {"items", "complete", "in_progress", "remaining", "remaining_judgments", "submissions",
          "submissions_last_hour", "submissions_last_day", "throughput_per_hour",
          "estimated_completion", "as_of"}


def parse_time(text):
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")


class ProgressTest(_Base):

    def listed(self, client, project_id):
        body = self.assertStatus(client.get("/api/v1/projects"), 200).json
        for p in body["projects"]:
            self.assertEqual(set(p["progress"]), FIELDS, p["name"])
        return {p["id"]: p["progress"] for p in body["projects"]}.get(project_id)

    def progress(self, project_id):
        """The project's progress from the list, checked against the one-project read."""
        one = self.assertStatus(self.owner.get(f"/api/v1/projects/{project_id}"), 200).json
        listed = self.listed(self.owner, project_id)
        for key in FIELDS - {"as_of", "throughput_per_hour", "estimated_completion"}:
            self.assertEqual(listed[key], one["progress"][key], key)
        return listed

    def figures(self, progress):
        return {k: progress[k] for k in ("items", "complete", "in_progress", "remaining",
                                         "remaining_judgments", "submissions")}

    def test_progress_follows_imports_leases_and_judgments(self):
        p = self.create_project(self.owner, preset="classification", domain="physics",
                                redundancy=2)
        self.assertEqual(p["progress"]["items"], 0)
        self.assertIsNone(p["progress"]["throughput_per_hour"])
        self.import_items(self.owner, p["id"], [{"text": f"claim {i}"} for i in range(3)] +
                          [{"data": {"text": "known"}, "gold": {"label": "correct"}}])
        g = self.progress(p["id"])
        self.assertEqual(self.figures(g), {"items": 3, "complete": 0, "in_progress": 0,
                                           "remaining": 3, "remaining_judgments": 6,
                                           "submissions": 0})
        self.assertIsNone(g["throughput_per_hour"])
        self.assertIsNone(g["estimated_completion"])
        parse_time(g["as_of"])

        a = self.assertStatus(self.next_task(self.ann, p["id"]), 200).json["assignment"]
        self.assertEqual(self.progress(p["id"])["in_progress"], 1)
        self.assertStatus(self.submit(self.ann, a["id"], {"label": "correct"}), 201)
        g = self.progress(p["id"])
        self.assertEqual(self.figures(g), {"items": 3, "complete": 0, "in_progress": 0,
                                           "remaining": 3, "remaining_judgments": 5,
                                           "submissions": 1})
        self.assertEqual((g["submissions_last_hour"], g["submissions_last_day"]), (1, 1))
        self.assertGreater(g["throughput_per_hour"], 0)
        self.assertGreater(parse_time(g["estimated_completion"]), parse_time(g["as_of"]))

        # Everything answered twice: complete, no estimate.
        for expert in (self.ann, self.ben):
            while True:
                t = self.assertStatus(self.next_task(expert, p["id"]), 200).json["assignment"]
                if t is None:
                    break
                self.assertStatus(self.submit(expert, t["id"], {"label": "correct"}), 201)
        g = self.progress(p["id"])
        self.assertEqual(self.figures(g), {"items": 3, "complete": 3, "in_progress": 0,
                                           "remaining": 0, "remaining_judgments": 0,
                                           "submissions": 6})
        self.assertIsNone(g["estimated_completion"])

        # More redundancy wants more judgments; the change's answer says so.
        patched = self.assertStatus(self.owner.patch(f"/api/v1/projects/{p['id']}",
                                                     {"redundancy": 3}), 200).json
        self.assertEqual(self.figures(patched["progress"]),
                         {"items": 3, "complete": 0, "in_progress": 0, "remaining": 3,
                          "remaining_judgments": 3, "submissions": 6})

    def test_another_lab_sees_none_of_it(self):
        p = self.project_with_items()
        _, _, other = self.create_lab_with_owner()
        self.assertIsNone(self.listed(other, p["id"]))
        self.assertError(other.get(f"/api/v1/projects/{p['id']}"), 404, "not_found")


if __name__ == "__main__":
    unittest.main()
