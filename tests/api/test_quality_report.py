"""Quality reports over HTTP (docs/api.md, "Quality"): the report of a classification project
with two reliable experts and a spammer, paging through the aggregates, the "aggregate" member
of raw export lines, adaptive redundancy settling items (and PATCH turning it off and on), the
validation of the "adaptive" project member, and another lab getting 404 on the quality routes.

Reports are brought up to date with POST .../quality/refresh, never by waiting for the
background thread, so nothing here depends on timing."""

import unittest

from fachwerk_client import FachwerkTestCase, unique

# The truth of the classification items, by item text; the gold item's is its gold answer.
TRUTH = {f"claim {n}": ("correct" if n % 2 == 0 else "incorrect") for n in range(6)}
GOLD_TEXT = "Heavier objects fall faster in vacuum."
TRUTH[GOLD_TEXT] = "incorrect"


def rounded(value):
    """`value` with every float rounded to 12 significant digits."""
    if isinstance(value, float):
        return float(f"{value:.12g}")
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [rounded(v) for v in value]
    return value


class QualityReportTest(FachwerkTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lab_a, _, cls.owner_a = cls.create_lab_with_owner("Quality Labs")
        cls.lab_b, _, cls.owner_b = cls.create_lab_with_owner("Other Labs")
        cls.good1_user, cls.good1 = cls.create_expert({"physics": 3}, name="Good One")
        cls.good2_user, cls.good2 = cls.create_expert({"physics": 3}, name="Good Two")
        cls.spam_user, cls.spammer = cls.create_expert({"physics": 3}, name="Sam Spammer")
        cls.third_user, cls.third = cls.create_expert({"physics": 3}, name="Third Expert")

    # -- helpers ---------------------------------------------------------------------------

    def drain(self, expert, project_id, answer_for, limit=100):
        """`expert` takes and submits tasks of the project until there is none; returns the
        assignments worked."""
        done = []
        for _ in range(limit):
            a = self.assertStatus(self.next_task(expert, project_id), 200).json["assignment"]
            if a is None:
                return done
            self.assertStatus(self.submit(expert, a["id"], answer_for(a)), 201)
            done.append(a)
        self.fail(f"expert still gets work after {limit} tasks")

    def refresh(self, client, pid):
        return self.assertStatus(client.post(f"/api/v1/projects/{pid}/quality/refresh"), 200).json

    def all_aggregates(self, pid, limit):
        """Pages through quality/items with `limit`; returns (aggregates, pages)."""
        rows, pages, after = [], [], None
        for _ in range(1000):
            q = {"limit": limit}
            if after:
                q["after"] = after
            page = self.assertStatus(
                self.owner_a.get(f"/api/v1/projects/{pid}/quality/items", query=q), 200).json
            self.assertEqual(set(page), {"aggregates", "next_after"}, page)
            pages.append(page)
            rows.extend(page["aggregates"])
            after = page["next_after"]
            if after is None:
                return rows, pages
        self.fail("quality/items paging did not end")

    @staticmethod
    def question(report, name):
        for q in report["questions"]:
            if q["name"] == name:
                return q
        raise AssertionError(f"no question {name} in {report['questions']}")

    def settle_set(self, pid):
        """Items whose label aggregate meets threshold 0.6 with 2+ judgments: the settled."""
        rows, _ = self.all_aggregates(pid, 1000)
        return {r["item_id"] for r in rows
                if r["question"] == "label" and r["confidence"] >= 0.6 and r["judgments"] >= 2}

    # -- the report ------------------------------------------------------------------------

    def test_report_of_two_reliable_experts_and_a_spammer(self):
        p = self.create_project(self.owner_a, preset="classification", domain="physics",
                                min_level=3, redundancy=3, gold_rate=1.0)
        pid = p["id"]
        self.assertIsNone(p["adaptive"])
        self.import_items(self.owner_a, pid,
                          [{"data": {"text": t}, "external_id": f"c{n}"}
                           for n, t in enumerate(sorted(k for k in TRUTH if k != GOLD_TEXT))]
                          + [{"data": {"text": GOLD_TEXT}, "gold": {"label": "incorrect"},
                              "external_id": "gold"}])

        # Before any submission GET computes an empty report.
        empty = self.assertStatus(self.owner_a.get(f"/api/v1/projects/{pid}/quality"), 200).json
        self.assertEqual(empty["submissions"], 0, empty)
        self.assertEqual(empty["items_with_answers"], 0)
        self.assertEqual(empty["settled_items"], 0)
        self.assertIsNone(empty["adaptive"])
        self.assertEqual(empty["experts"], [])
        self.assertEqual([(q["name"], q["type"], q["method"]) for q in empty["questions"]],
                         [("label", "label", "ds"),
                          ("confidence", "rating", "bias-corrected-mean")])
        for q in empty["questions"]:
            self.assertEqual((q["judgments"], q["items_aggregated"]), (0, 0), q)

        # Two experts give the truth, the spammer always "unsure"; ratings vary per item.
        def truthful(rating):
            return lambda a: {"label": TRUTH[a["item"]["data"]["text"]],
                              "confidence": rating(a)}
        n = lambda a: int(a["item"]["data"]["text"].split()[-1]) if "claim" in \
            a["item"]["data"]["text"] else 6
        worked = {}
        worked["good1"] = self.drain(self.good1, pid, truthful(lambda a: 4 + n(a) % 2))
        worked["good2"] = self.drain(self.good2, pid, truthful(lambda a: 4))
        worked["spam"] = self.drain(self.spammer, pid,
                                    lambda a: {"label": "unsure", "confidence": 1 + n(a) % 5})
        for who, done in worked.items():
            self.assertEqual(len(done), 7, f"{who} should work every item, gold included")
            self.assertEqual(done[0]["item"]["data"]["text"], GOLD_TEXT,
                             "gold_rate 1 serves the gold item first")

        report = self.refresh(self.owner_a, pid)
        self.assertIsInstance(report["computed_at"], str)
        self.assertEqual(report["submissions"], 21, report)
        self.assertEqual(report["items_with_answers"], 7)
        self.assertEqual(report["settled_items"], 0)
        self.assertIsNone(report["adaptive"])

        label = self.question(report, "label")
        self.assertEqual((label["type"], label["method"]), ("label", "ds"))
        self.assertEqual(label["judgments"], 21)
        self.assertEqual(label["items_aggregated"], 7)
        self.assertEqual(label["agreement"]["metric"], "alpha-nominal")
        self.assertIsInstance(label["agreement"]["value"], float, label)
        self.assertTrue(-1 <= label["agreement"]["value"] < 1, label)
        self.assertTrue(0 < label["mean_confidence"] <= 1, label)
        rating = self.question(report, "confidence")
        self.assertEqual(rating["method"], "bias-corrected-mean")
        self.assertEqual(rating["items_aggregated"], 7)
        self.assertEqual(rating["agreement"]["metric"], "alpha-interval")
        self.assertIn("value", rating["agreement"])

        # Experts by pseudonym, matched through the raw export.
        rows = self.export(self.owner_a, pid, "raw")
        self.assertEqual(len(rows), 21)
        spam_pseudonyms = {r["expert"] for r in rows if r["answer"]["label"] == "unsure"}
        self.assertEqual(len(spam_pseudonyms), 1, rows)
        experts = {e["expert"]: e for e in report["experts"]}
        self.assertEqual(set(experts), {r["expert"] for r in rows})
        for name in ("Sam Spammer", self.spam_user["email"], self.spam_user["id"]):
            self.assertNotIn(name, str(report), "labs see experts by pseudonym")
        (spam,) = spam_pseudonyms
        good = [e for k, e in experts.items() if k != spam]
        self.assertEqual(len(good), 2)
        for e in experts.values():
            self.assertTrue(e["expert"].startswith("ex_"), e)
            self.assertEqual((e["answers"], e["gold_answers"]), (7, 1), e)
        for e in good:
            self.assertEqual(e["gold_accuracy"], 1.0, e)
            self.assertLess(experts[spam]["skill"], e["skill"], report["experts"])
        self.assertEqual(experts[spam]["gold_accuracy"], 0.0)

        # GET answers the stored report (numbers to 12 digits: the stored body is read back
        # with Boost.JSON's parser, which may move a double by an ulp).
        stored = self.assertStatus(self.owner_a.get(f"/api/v1/projects/{pid}/quality"), 200).json
        report.pop("computed_at")
        stored.pop("computed_at")
        self.assertEqual(rounded(stored), rounded(report))

        # Aggregates: one page of everything, then pages of two items.
        everything, pages = self.all_aggregates(pid, 1000)
        self.assertEqual(len(pages), 1)
        by_item = {}
        for a in everything:
            self.assertEqual(set(a), {"item_id", "question", "answer", "confidence", "judgments"})
            by_item.setdefault(a["item_id"], {})[a["question"]] = a
        items = {i["id"]: i for i in self.list_items(self.owner_a, pid)}
        self.assertEqual(set(by_item), set(items))
        ratings = {}
        for r in rows:
            ratings.setdefault(r["item_id"], []).append(r["answer"]["confidence"])
        for item_id, qs in by_item.items():
            self.assertEqual(list(qs), ["confidence", "label"], "question order within an item")
            self.assertEqual(qs["label"]["answer"], TRUTH[items[item_id]["data"]["text"]], qs)
            self.assertEqual(qs["label"]["judgments"], 3)
            self.assertTrue(0.5 < qs["label"]["confidence"] <= 1, qs)
            value = qs["confidence"]["answer"]
            self.assertIsInstance(value, int, qs)
            self.assertTrue(1 <= value <= 5, qs)
            given = ratings[item_id]
            self.assertAlmostEqual(qs["confidence"]["confidence"],
                                   given.count(value) / len(given), places=9, msg=qs)

        paged, pages = self.all_aggregates(pid, 2)
        self.assertEqual(paged, everything, "pages of two items add up to the whole")
        self.assertEqual(len(pages), 4)
        order = []
        for page in pages:
            ids = {a["item_id"] for a in page["aggregates"]}
            self.assertLessEqual(len(ids), 2, page)
            order += sorted(ids, key=[a["item_id"] for a in everything].index)
        self.assertEqual(len(order), len(set(order)), "no item on two pages")
        first = everything[0]["item_id"]
        rest = self.assertStatus(self.owner_a.get(f"/api/v1/projects/{pid}/quality/items",
                                                  query={"after": first}), 200).json
        self.assertEqual(rest["aggregates"], [a for a in everything if a["item_id"] != first])
        self.assertIsNone(rest["next_after"])

        for bad in ("0", "1001", "-3", "many"):
            r = self.owner_a.get(f"/api/v1/projects/{pid}/quality/items", query={"limit": bad})
            self.assertError(r, 400, "invalid_argument")
            self.assertEqual(r.json["error"]["details"][0]["field"], "limit", r.describe())
        r = self.owner_a.get(f"/api/v1/projects/{pid}/quality/items", query={"after": "nope"})
        self.assertError(r, 400, "invalid_argument")
        self.assertEqual(r.detail_fields, ["after"])

        # Raw export lines carry the item's aggregates.
        for r in rows:
            agg = r["aggregate"]
            self.assertEqual(set(agg), {"label", "confidence"}, r)
            for qname, a in agg.items():
                want = by_item[r["item_id"]][qname]
                self.assertEqual(a["answer"], want["answer"], r)
                self.assertEqual(a["judgments"], want["judgments"], r)
                self.assertAlmostEqual(a["confidence"], want["confidence"], places=6, msg=r)

    # -- adaptive redundancy ---------------------------------------------------------------

    def test_adaptive_redundancy_settles_items_and_patch_turns_it_off(self):
        p = self.create_project(self.owner_a, preset="classification", domain="physics",
                                redundancy=4, adaptive={"threshold": 0.6, "min": 2})
        pid = p["id"]
        self.assertEqual(p["adaptive"], {"threshold": 0.6, "min": 2, "change": 0, "gate": 0})
        texts = [f"claim {n}" for n in range(4)]
        self.import_items(self.owner_a, pid, [{"text": t} for t in texts])
        answer = lambda a: {"label": TRUTH[a["item"]["data"]["text"]]}
        self.assertEqual(len(self.drain(self.good1, pid, answer)), 4)
        self.assertEqual(len(self.drain(self.good2, pid, answer)), 4)

        report = self.refresh(self.owner_a, pid)
        self.assertEqual(report["adaptive"], {"threshold": 0.6, "min": 2, "max": 4, "change": 0,
                                              "gate": 0, "gated_experts": 0})
        settled = self.settle_set(pid)
        self.assertGreater(report["settled_items"], 0, report)
        self.assertEqual(report["settled_items"], len(settled), report)

        # The third expert gets only what is not settled (each item had 2 of 4 judgments).
        got = {a["item"]["id"] for a in self.drain(self.third, pid, answer)}
        self.assertFalse(got & settled, "a settled item is not offered again")
        self.assertEqual(got, {i["id"] for i in self.list_items(self.owner_a, pid)} - settled)

        # Off: every item goes back to needing 4; the report says nothing is settled.
        r = self.assertStatus(self.owner_a.patch(f"/api/v1/projects/{pid}", {"adaptive": None}),
                              200).json
        self.assertIsNone(r["adaptive"])
        a = self.assertStatus(self.next_task(self.third, pid), 200).json["assignment"]
        self.assertIsNotNone(a, "without adaptive redundancy settled items reopen")
        self.assertIn(a["item"]["id"], settled)
        self.assertStatus(self.submit(self.third, a["id"], answer(a)), 201)
        report = self.refresh(self.owner_a, pid)
        self.assertIsNone(report["adaptive"])
        self.assertEqual(report["settled_items"], 0, "nothing is settled with adaptive off")

        # On again: the next refresh settles the agreed items again.
        r = self.assertStatus(self.owner_a.patch(f"/api/v1/projects/{pid}", {
            "adaptive": {"threshold": 0.6, "min": 2}}), 200).json
        self.assertEqual(r["adaptive"], {"threshold": 0.6, "min": 2, "change": 0, "gate": 0})

        # The change test and the gate are set the same way, and echoed.
        r = self.assertStatus(self.owner_a.patch(f"/api/v1/projects/{pid}", {
            "adaptive": {"threshold": 0.6, "min": 2, "change": 0.01, "gate": 0.15}}), 200).json
        self.assertEqual(r["adaptive"], {"threshold": 0.6, "min": 2, "change": 0.01,
                                         "gate": 0.15})
        report = self.refresh(self.owner_a, pid)
        self.assertEqual((report["adaptive"]["change"], report["adaptive"]["gate"]), (0.01, 0.15))
        for e in report["experts"]:
            self.assertIn(e["gated"], (True, False))
            self.assertGreaterEqual(e["information"], 0)
        r = self.assertStatus(self.owner_a.patch(f"/api/v1/projects/{pid}", {
            "adaptive": {"threshold": 0.6, "min": 2}}), 200).json
        report = self.refresh(self.owner_a, pid)
        settled = self.settle_set(pid)
        self.assertEqual(report["settled_items"], len(settled), report)
        got = {a["item"]["id"] for a in self.drain(self.spammer, pid, answer)}
        self.assertFalse(got & settled, "items settled again are not offered")

    def test_adaptive_member_is_validated(self):
        base = {"preset": "classification", "domain": "physics", "redundancy": 4}
        cases = [
            ({"threshold": 0.5}, "adaptive.threshold"),
            ({"threshold": 1.01}, "adaptive.threshold"),
            ({"threshold": 0}, "adaptive.threshold"),
            ({"threshold": "high"}, "adaptive.threshold"),
            ({"min": 2}, "adaptive.threshold"),
            ({"threshold": 0.8, "min": 0}, "adaptive.min"),
            ({"threshold": 0.8, "min": 5}, "adaptive.min"),  # more than redundancy
            ({"threshold": 0.8, "min": 1.5}, "adaptive.min"),
            ({"threshold": 0.8, "max": 3}, "adaptive.max"),
            ({"threshold": 0.8, "change": 1}, "adaptive.change"),
            ({"threshold": 0.8, "change": "low"}, "adaptive.change"),
            ({"threshold": 0.8, "gate": -0.1}, "adaptive.gate"),
            ({"threshold": 0.8, "gate": True}, "adaptive.gate"),
            (0.8, "adaptive"),
            ("on", "adaptive"),
        ]
        names = []
        for adaptive, field in cases:
            name = unique("bad-adaptive")
            names.append(name)
            r = self.owner_a.post("/api/v1/projects", {**base, "name": name, "adaptive": adaptive})
            self.assertError(r, 400, "invalid_argument")
            self.assertIn(field, r.detail_fields, f"adaptive={adaptive!r}: {r.describe()}")
        # A template without a label or preference question cannot use it.
        name = unique("bad-adaptive")
        names.append(name)
        r = self.owner_a.post("/api/v1/projects", {"name": name, "preset": "sft", "redundancy": 2,
                                                   "domain": None, "adaptive": {"threshold": 0.8}})
        err = self.assertError(r, 400, "invalid_argument")
        self.assertEqual([(d["field"], d["code"]) for d in err["details"]],
                         [("adaptive", "no_question")])
        listed = self.assertStatus(self.owner_a.get("/api/v1/projects"), 200).json["projects"]
        self.assertFalse({p["name"] for p in listed} & set(names), "nothing was created")

        # The same checks on PATCH; min is checked against the (new) redundancy.
        p = self.create_project(self.owner_a, **base)
        r = self.owner_a.patch(f"/api/v1/projects/{p['id']}", {"adaptive": {"threshold": 2}})
        self.assertError(r, 400, "invalid_argument")
        self.assertIn("adaptive.threshold", r.detail_fields)
        r = self.owner_a.patch(f"/api/v1/projects/{p['id']}",
                               {"adaptive": {"threshold": 0.7, "min": 3}, "redundancy": 2})
        self.assertError(r, 400, "invalid_argument")
        self.assertIn("adaptive.min", r.detail_fields)
        r = self.assertStatus(self.owner_a.patch(f"/api/v1/projects/{p['id']}",
                                                 {"adaptive": {"threshold": 0.7}}), 200).json
        self.assertEqual(r["adaptive"], {"threshold": 0.7, "min": 2, "change": 0, "gate": 0},
                         "min defaults to 2, change and gate to 0 (off)")
        sft = self.create_project(self.owner_a, preset="sft", redundancy=2, domain=None)
        r = self.owner_a.patch(f"/api/v1/projects/{sft['id']}", {"adaptive": {"threshold": 0.7}})
        err = self.assertError(r, 400, "invalid_argument")
        self.assertEqual([(d["field"], d["code"]) for d in err["details"]],
                         [("adaptive", "no_question")])

    # -- isolation -------------------------------------------------------------------------

    def test_another_lab_gets_404(self):
        p = self.create_project(self.owner_a, preset="classification", domain="physics")
        pid = p["id"]
        self.import_items(self.owner_a, pid, [{"text": "claim 0"}])
        self.drain(self.good1, pid, lambda a: {"label": "correct"})
        self.refresh(self.owner_a, pid)
        calls = [("GET", f"/api/v1/projects/{pid}/quality"),
                 ("POST", f"/api/v1/projects/{pid}/quality/refresh"),
                 ("GET", f"/api/v1/projects/{pid}/quality/items"),
                 ("GET", f"/api/v1/projects/{pid}/quality/items?limit=10")]
        for method, path in calls:
            r = self.owner_b.request(method, path)
            self.assertError(r, 404, "not_found")
            self.assertNotIn("claim", r.text)
        # An expert is not a lab.
        for method, path in calls[:3]:
            self.assertStatus(self.good1.request(method, path), 403)


if __name__ == "__main__":
    unittest.main()
