"""Drafts of an answer: the workbench saves what the expert has typed so far and gets it back
with the active assignment (after a reload, on another device); the last save wins; a finished
or lapsed assignment carries none; only an object of at most 256 KiB is a draft; nobody else
can read or touch it."""

import time
import unittest

from test_submissions import _Base


class DraftTest(_Base):
    server_args = ("--min-lease-seconds", "1")

    def take_new(self, expert, n=1, **kw):
        """A new project of `n` items and the expert's first assignment on it."""
        p = self.project_with_items(n, **kw)
        return p, self.take(expert, p["id"])

    def save(self, expert, assignment_id, answer):
        return expert.put(f"/api/v1/assignments/{assignment_id}/draft", {"answer": answer})

    def active(self, expert):
        body = self.assertStatus(expert.get("/api/v1/assignments"), 200).json
        return {a["id"]: a for a in body["assignments"]}

    def test_a_draft_comes_back_with_the_active_assignment_and_the_last_save_wins(self):
        _, a = self.take_new(self.ann)
        self.assertIsNone(a["draft"])
        self.assertIsNone(a["draft_saved_at"])
        self.assertIsNone(self.active(self.ann)[a["id"]]["draft"])

        first = self.assertStatus(self.save(self.ann, a["id"], {"label": "corr"}), 200).json
        self.assertRegex(first["draft_saved_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        # Another device of the same expert reads it back.
        other_device = self.login(self.ann_user["email"])
        served = self.active(other_device)[a["id"]]
        self.assertEqual(served["draft"], {"label": "corr"})
        self.assertEqual(served["draft_saved_at"], first["draft_saved_at"])

        later = {"label": "correct", "notes": "the derivation skips a step"}
        self.assertStatus(self.save(self.ann, a["id"], later), 200)
        served = self.active(self.ann)[a["id"]]
        self.assertEqual(served["draft"], later)
        # Saving is not a heartbeat: the lease and the active time stay as they were.
        self.assertEqual(served["lease_expires_at"], a["lease_expires_at"])
        self.assertEqual(served["active_seconds"], 0)

        self.assertStatus(self.ann.delete(f"/api/v1/assignments/{a['id']}/draft"), 204)
        self.assertIsNone(self.active(self.ann)[a["id"]]["draft"])
        self.assertStatus(self.ann.delete(f"/api/v1/assignments/{a['id']}/draft"), 204)

    def test_submitting_or_skipping_takes_the_draft_away(self):
        p, a = self.take_new(self.ann, n=2)
        self.assertStatus(self.save(self.ann, a["id"], {"label": "correct"}), 200)
        self.assertStatus(self.submit(self.ann, a["id"], {"label": "correct"}), 201)
        b = self.assertStatus(self.next_task(self.ann, p["id"]), 200).json["assignment"]
        self.assertStatus(self.save(self.ann, b["id"], {"label": "unsure"}), 200)
        self.assertStatus(self.ann.post(f"/api/v1/assignments/{b['id']}/skip",
                                        {"reason": "outside my field"}), 200)
        active = self.active(self.ann)
        self.assertNotIn(a["id"], active)
        self.assertNotIn(b["id"], active)
        for state, aid in (("submitted", a["id"]), ("skipped", b["id"])):
            page = self.assertStatus(self.ann.get("/api/v1/assignments",
                                                  query={"state": state}), 200).json
            finished = {x["id"]: x for x in page["assignments"]}[aid]
            self.assertIsNone(finished["draft"])
            self.assertIsNone(finished["draft_saved_at"])
        self.assertError(self.save(self.ann, a["id"], {"label": "x"}), 409, "conflict",
                         "already_submitted")
        self.assertError(self.save(self.ann, b["id"], {"label": "x"}), 409, "conflict",
                         "skipped")

    def test_a_draft_on_an_expired_lease_is_refused(self):
        _, a = self.take_new(self.ann, lease_seconds=1)
        time.sleep(2.1)
        self.assertError(self.save(self.ann, a["id"], {"label": "correct"}), 409, "conflict",
                         "lease_expired")
        self.assertNotIn(a["id"], self.active(self.ann))
        self.assertError(self.ann.post(f"/api/v1/assignments/{a['id']}/heartbeat", {}), 409,
                         "conflict", "lease_expired")

    def test_only_an_object_of_at_most_256_kib_is_a_draft(self):
        _, a = self.take_new(self.ann)
        url = f"/api/v1/assignments/{a['id']}/draft"
        for answer in ("correct", ["correct"], 3, None):
            with self.subTest(answer=answer):
                r = self.save(self.ann, a["id"], answer)
                self.assertError(r, 400, "invalid_argument")
                self.assertEqual(r.json["error"]["details"][0]["field"], "answer")
                self.assertEqual(r.json["error"]["details"][0]["code"], "type")
        r = self.ann.put(url, {"draft": {"label": "correct"}})
        self.assertError(r, 400, "invalid_argument")
        self.assertIn("answer", r.detail_fields, r.describe())
        # {"text":"..."} is 11 bytes around the text.
        limit = 256 * 1024
        r = self.save(self.ann, a["id"], {"text": "x" * (limit - 10)})
        self.assertError(r, 400, "invalid_argument")
        self.assertEqual(r.json["error"]["details"][0], {
            "field": "answer", "code": "too_long",
            "message": r.json["error"]["details"][0]["message"]})
        self.assertIsNone(self.active(self.ann)[a["id"]]["draft"])
        self.assertStatus(self.save(self.ann, a["id"], {"text": "x" * (limit - 11)}), 200)
        self.assertEqual(len(self.active(self.ann)[a["id"]]["draft"]["text"]), limit - 11)

    def test_another_experts_draft_is_not_found_and_stays_as_it_was(self):
        _, a = self.take_new(self.ann)
        self.assertStatus(self.save(self.ann, a["id"], {"label": "correct"}), 200)
        self.assertError(self.save(self.ben, a["id"], {"label": "incorrect"}), 404, "not_found")
        self.assertError(self.ben.delete(f"/api/v1/assignments/{a['id']}/draft"), 404,
                         "not_found")
        self.assertNotIn(a["id"], self.active(self.ben))
        self.assertError(self.owner.put(f"/api/v1/assignments/{a['id']}/draft",
                                        {"answer": {}}), 403, "permission_denied")
        self.assertEqual(self.active(self.ann)[a["id"]]["draft"], {"label": "correct"})


if __name__ == "__main__":
    unittest.main()
