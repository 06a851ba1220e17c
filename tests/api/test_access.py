"""Access follows its grounds: a lease ends when the expert loses the qualification it stood
on (revoked or lowered), when the account is deactivated, or when the project is archived; a
paused project lets running leases finish and hands out no new ones (docs/api.md, "When a
lease ends early")."""

import unittest

from fachwerk_client import FachwerkTestCase


class _Base(FachwerkTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lab, cls.owner_user, cls.owner = cls.create_lab_with_owner()

    def project(self, domain, n=1, **kw):
        p = self.create_project(self.owner, preset="classification", domain=domain, **kw)
        self.import_items(self.owner, p["id"], [{"text": f"claim {i}"} for i in range(n)])
        return p

    def take(self, expert, project_id):
        a = self.assertStatus(self.next_task(expert, project_id), 200).json["assignment"]
        self.assertIsNotNone(a, "expected a task")
        return a

    def heartbeat(self, expert, assignment_id):
        return expert.post(f"/api/v1/assignments/{assignment_id}/heartbeat",
                           {"active_seconds": 5})

    def skip(self, expert, assignment_id):
        return expert.post(f"/api/v1/assignments/{assignment_id}/skip", {"reason": "x"})

    def taken(self, project_id, item_id):
        return self.assertStatus(
            self.owner.get(f"/api/v1/projects/{project_id}/items/{item_id}"), 200).json["taken"]

    def submissions(self, project_id):
        return self.assertStatus(self.owner.get(f"/api/v1/projects/{project_id}"),
                                 200).json["counts"]["submissions"]

    def assertEnded(self, expert, assignment_id, project_id, reason="lease_revoked"):
        """Heartbeat, submit and skip all answer 409 `reason` and store nothing."""
        before = self.submissions(project_id)
        self.assertError(self.heartbeat(expert, assignment_id), 409, "conflict", reason)
        self.assertError(self.submit(expert, assignment_id, {"label": "correct"}), 409,
                         "conflict", reason)
        self.assertError(self.skip(expert, assignment_id), 409, "conflict", reason)
        self.assertEqual(self.submissions(project_id), before)
        active = self.assertStatus(expert.get("/api/v1/assignments"), 200).json["assignments"]
        self.assertNotIn(assignment_id, [a["id"] for a in active])

    def set_level(self, user, domain, level):
        return self.op.put(f"/api/v1/experts/{user['id']}/qualifications/{domain}",
                           {"level": level, "reviewer": False, "reason": "level change"})


class RevokedQualificationTest(_Base):

    def test_revocation_mid_lease_ends_it_and_the_item_goes_to_another_expert(self):
        p = self.project("physics")
        law = self.project("law")
        ann_user, ann = self.create_expert({"physics": 3, "law": 3})
        _, ben = self.create_expert({"physics": 3})
        a = self.take(ann, p["id"])
        kept = self.take(ann, law["id"])
        self.assertStatus(self.heartbeat(ann, a["id"]), 200)
        self.assertEqual(self.taken(p["id"], a["item"]["id"]), 1)

        self.assertStatus(
            self.op.delete(f"/api/v1/experts/{ann_user['id']}/qualifications/physics"), 204)
        # Ended by the revocation itself, before the expert calls again.
        self.assertEqual(self.taken(p["id"], a["item"]["id"]), 0)
        err = self.assertError(self.heartbeat(ann, a["id"]), 409, "conflict", "lease_revoked")
        self.assertIn("qualification", err["message"])
        self.assertEnded(ann, a["id"], p["id"])

        b = self.take(ben, p["id"])
        self.assertEqual(b["item"]["id"], a["item"]["id"])
        self.assertStatus(self.submit(ben, b["id"], {"label": "correct"}), 201)
        # The lease on the project the expert still qualifies for runs on.
        self.assertStatus(self.heartbeat(ann, kept["id"]), 200)
        self.assertStatus(self.submit(ann, kept["id"], {"label": "correct"}), 201)
        # And the revoked project's work is no longer offered.
        self.assertError(self.next_task(ann, p["id"]), 403, "permission_denied", "not_qualified")

    def test_lowered_level_ends_only_the_leases_above_it(self):
        senior = self.project("chemistry", min_level=4)
        junior = self.project("chemistry", min_level=2)
        user, expert = self.create_expert({"chemistry": 4})
        hi = self.take(expert, senior["id"])
        lo = self.take(expert, junior["id"])
        self.assertStatus(self.set_level(user, "chemistry", 2), 200)
        self.assertEqual(self.taken(senior["id"], hi["item"]["id"]), 0)
        self.assertEqual(self.taken(junior["id"], lo["item"]["id"]), 1)
        self.assertEnded(expert, hi["id"], senior["id"])
        self.assertStatus(self.heartbeat(expert, lo["id"]), 200)
        self.assertStatus(self.submit(expert, lo["id"], {"label": "correct"}), 201)

    def test_raising_a_level_ends_nothing(self):
        p = self.project("biology", min_level=2)
        user, expert = self.create_expert({"biology": 2})
        a = self.take(expert, p["id"])
        self.assertStatus(self.set_level(user, "biology", 5), 200)
        self.assertStatus(self.heartbeat(expert, a["id"]), 200)
        self.assertStatus(self.submit(expert, a["id"], {"label": "correct"}), 201)

    def test_a_stored_submission_still_replays_after_revocation(self):
        p = self.project("finance")
        user, expert = self.create_expert({"finance": 3})
        a = self.take(expert, p["id"])
        first = self.assertStatus(self.submit(expert, a["id"], {"label": "correct"}, "fin-1"),
                                  201)
        self.assertStatus(
            self.op.delete(f"/api/v1/experts/{user['id']}/qualifications/finance"), 204)
        again = self.assertStatus(self.submit(expert, a["id"], {"label": "correct"}, "fin-1"),
                                  200)
        self.assertEqual(again.json["id"], first.json["id"])
        self.assertEqual(self.submissions(p["id"]), 1)


class ProjectStatusTest(_Base):

    def status(self, p, status):
        return self.assertStatus(self.owner.patch(f"/api/v1/projects/{p['id']}",
                                                  {"status": status}), 200)

    def test_paused_project_lets_running_leases_finish_and_hands_out_none(self):
        p = self.project("accounting", n=3)
        _, expert = self.create_expert({"accounting": 3})
        a = self.take(expert, p["id"])
        b = self.take(expert, p["id"])
        self.status(p, "paused")
        self.assertStatus(self.heartbeat(expert, a["id"]), 200)
        self.assertStatus(self.submit(expert, a["id"], {"label": "correct"}), 201)
        self.assertStatus(self.skip(expert, b["id"]), 200)
        self.assertError(self.next_task(expert, p["id"]), 409, "conflict", "project_inactive")
        self.assertIsNone(self.assertStatus(self.next_task(expert), 200).json["assignment"])
        listed = self.assertStatus(expert.get("/api/v1/work/projects"), 200).json["projects"]
        self.assertNotIn(p["id"], [x["id"] for x in listed])
        self.status(p, "active")
        self.assertIsNotNone(self.take(expert, p["id"]))

    def test_archived_project_ends_its_leases(self):
        p = self.project("medicine")
        _, ann = self.create_expert({"medicine": 3})
        _, ben = self.create_expert({"medicine": 3})
        a = self.take(ann, p["id"])
        self.status(p, "archived")
        self.assertEqual(self.taken(p["id"], a["item"]["id"]), 0)
        err = self.assertError(self.heartbeat(ann, a["id"]), 409, "conflict", "lease_revoked")
        self.assertIn("archived", err["message"])
        self.assertEnded(ann, a["id"], p["id"])
        self.assertError(self.next_task(ben, p["id"]), 409, "conflict", "project_inactive")
        # Made active again, the item is routed afresh, but never back to the expert who had it.
        self.status(p, "active")
        self.assertIsNone(self.assertStatus(self.next_task(ann, p["id"]), 200).json["assignment"])
        self.assertEqual(self.take(ben, p["id"])["item"]["id"], a["item"]["id"])


class DeactivationTest(_Base):

    def test_deactivated_expert_loses_every_lease_at_once(self):
        p = self.project("computer_science", n=2)
        user, ann = self.create_expert({"computer_science": 3})
        _, ben = self.create_expert({"computer_science": 3})
        a1 = self.take(ann, p["id"])
        a2 = self.take(ann, p["id"])
        r = self.op.post(f"/api/v1/users/{user['id']}/deactivate", {})
        if r.status == 404 and r.error.get("reason") == "no_such_route":
            self.skipTest("this server has no deactivation route")
        self.assertStatus(r, 200)
        self.assertStatus(self.heartbeat(ann, a1["id"]), 401)
        self.assertEqual(self.taken(p["id"], a1["item"]["id"]), 0)
        self.assertEqual(self.taken(p["id"], a2["item"]["id"]), 0)
        got = {self.take(ben, p["id"])["item"]["id"], self.take(ben, p["id"])["item"]["id"]}
        self.assertEqual(got, {a1["item"]["id"], a2["item"]["id"]})
        # Let back in, the expert finds the old leases ended.
        self.assertStatus(self.op.post(f"/api/v1/users/{user['id']}/reactivate", {}), 200)
        ann = self.login(user["email"])
        self.assertEnded(ann, a1["id"], p["id"])


if __name__ == "__main__":
    unittest.main()
