"""Pay: the operator's bands and markups, a project's pay terms, the rate an expert sees before
taking work, budgets that stop `next` with 409 budget_exhausted, bonuses and adjustments with
a reason, statements (JSON and CSV) that an expert sees only for themselves, invoices a lab
sees only for itself, payout batches marked paid, reversals, and `fachwerk ledger check`
reconciling all of it. Every refusal names its field or reason."""

import csv
import io
import sqlite3
from concurrent.futures import ThreadPoolExecutor

from fachwerk_client import FachwerkTestCase, run_cli, unique


class PayTest(FachwerkTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lab, cls.owner_user, cls.owner = cls.create_lab_with_owner(unique("Aurora"))
        cls.member = cls.login(cls.create_user("member", cls.lab["id"])["email"])
        cls.other_lab, _, cls.other_owner = cls.create_lab_with_owner(unique("Borealis"))
        cls.project = cls.create_project(cls.owner, name=unique("Optics"),
                                         preset="classification", domain="physics",
                                         min_level=3, redundancy=1)
        cls.pid = cls.project["id"]
        cls.import_items(cls.owner, cls.pid, [{"text": f"claim {n}"} for n in range(4)])
        cls.expert_user, cls.expert = cls.create_expert({"physics": 3})
        cls.other_user, cls.other_expert = cls.create_expert({"physics": 4})

    # -- helpers ---------------------------------------------------------------------------

    def band(self, domain, level, hourly, currency="USD"):
        return self.assertStatus(self.op.put("/api/v1/pay/bands", {
            "domain": domain, "level": level, "currency": currency, "hourly_minor": hourly}),
            200).json

    def terms(self, client=None):
        return self.assertStatus((client or self.owner).get(f"/api/v1/projects/{self.pid}/pay"),
                                 200).json

    def adjust(self, body):
        return self.op.post("/api/v1/ledger/adjustments", body)

    def ledger_check(self):
        return run_cli("ledger", "check", "--data", self.data_dir, check=False)

    # -- rates and terms -------------------------------------------------------------------

    def test_a_bands_rate_is_what_the_expert_sees_and_a_project_may_raise_it(self):
        self.band("physics", 3, 10000)
        self.band("", 0, 3000)
        bands = self.assertStatus(self.op.get("/api/v1/pay/bands"), 200).json["bands"]
        self.assertIn({"domain": "physics", "level": 3, "currency": "USD",
                       "hourly_minor": 10000}, bands)
        rates = self.assertStatus(self.expert.get("/api/v1/me/rates"), 200).json["rates"]
        mine = [r for r in rates if r["project_id"] == self.pid]
        self.assertEqual(mine, [{"project_id": self.pid, "hourly_minor": 10000,
                                 "currency": "USD"}])
        r = self.owner.put(f"/api/v1/projects/{self.pid}/pay", {"hourly_minor": 9000})
        self.assertError(r, 422, "unprocessable")
        self.assertEqual(r.detail_fields, ["hourly_minor"])
        self.assertEqual(r.json["error"]["details"][0]["code"], "below_band")
        t = self.assertStatus(self.owner.put(f"/api/v1/projects/{self.pid}/pay",
                                             {"hourly_minor": 12000}), 200).json
        self.assertEqual(t["hourly_minor"], 12000)
        self.assertEqual(t["band_hourly_minor"], 10000)
        rates = self.assertStatus(self.expert.get("/api/v1/me/rates"), 200).json["rates"]
        self.assertIn({"project_id": self.pid, "hourly_minor": 12000, "currency": "USD"}, rates)
        self.assertStatus(self.owner.put(f"/api/v1/projects/{self.pid}/pay",
                                         {"hourly_minor": None}), 200)
        self.assertEqual(self.terms()["hourly_minor"], 10000)
        # Members read the terms; only the owner sets them. Other labs see nothing.
        self.assertEqual(self.terms(self.member)["currency"], "USD")
        self.assertError(self.member.put(f"/api/v1/projects/{self.pid}/pay", {}), 403)
        self.assertError(self.other_owner.get(f"/api/v1/projects/{self.pid}/pay"), 404,
                         "not_found")
        self.assertError(self.other_owner.get(f"/api/v1/projects/{self.pid}/costs"), 404,
                         "not_found")
        self.assertError(self.expert.get(f"/api/v1/projects/{self.pid}/pay"), 403)

    def test_b_bad_bands_settings_and_terms_name_their_field(self):
        cases = [
            (self.op.put("/api/v1/pay/bands", {"domain": "physics", "level": 9,
                                               "currency": "USD", "hourly_minor": 1}), "level"),
            (self.op.put("/api/v1/pay/bands", {"domain": "physics", "level": 1,
                                               "currency": "usd", "hourly_minor": 1}),
             "currency"),
            (self.op.put("/api/v1/pay/bands", {"domain": "physics", "level": 1,
                                               "currency": "USD", "hourly_minor": -1}),
             "hourly_minor"),
            (self.op.put("/api/v1/pay/settings", {"markup_bp": -5}), "markup_bp"),
            (self.op.put(f"/api/v1/labs/{self.lab['id']}/pay", {"currency": "XXX"}), "currency"),
            (self.owner.put(f"/api/v1/projects/{self.pid}/pay", {"budget_minor": -1}),
             "budget_minor"),
            (self.owner.put(f"/api/v1/projects/{self.pid}/pay", {"fixed_price_minor": "x"}),
             "fixed_price_minor"),
            (self.owner.put(f"/api/v1/projects/{self.pid}/pay", {"price": 1}), "price"),
        ]
        for r, field in cases:
            with self.subTest(field=field):
                self.assertStatus(r, 400, 422)
                self.assertIn(field, r.detail_fields, r.describe())
        self.assertError(self.op.delete("/api/v1/pay/bands/chemistry/2/USD"), 404, "not_found")
        self.band("chemistry", 2, 5000)
        self.assertStatus(self.op.delete("/api/v1/pay/bands/chemistry/2/USD"), 204)
        self.band("", 1, 2500, "EUR")
        self.assertStatus(self.op.delete("/api/v1/pay/bands/-/1/EUR"), 204)

    def test_c_markup_and_lab_currency(self):
        self.assertEqual(self.assertStatus(self.op.put("/api/v1/pay/settings",
                                                       {"markup_bp": 2500}), 200).json,
                         {"markup_bp": 2500})
        lab_pay = self.assertStatus(self.op.get(f"/api/v1/labs/{self.other_lab['id']}/pay"),
                                    200).json
        self.assertEqual(lab_pay["currency"], "USD")
        self.assertIsNone(lab_pay["markup_bp"])
        self.assertEqual(lab_pay["effective_markup_bp"], 2500)
        lab_pay = self.assertStatus(self.op.put(f"/api/v1/labs/{self.other_lab['id']}/pay",
                                                {"currency": "EUR", "markup_bp": 1000}), 200).json
        self.assertEqual((lab_pay["currency"], lab_pay["effective_markup_bp"]), ("EUR", 1000))
        self.assertError(self.owner.get(f"/api/v1/labs/{self.lab['id']}/pay"), 403)
        self.assertEqual(self.terms()["markup_bp"], 2500)

    # -- budgets ---------------------------------------------------------------------------

    def test_d_a_budget_stops_next_with_a_reason(self):
        project = self.create_project(self.owner, name=unique("Budgeted"),
                                      preset="classification", domain="physics", min_level=3,
                                      lease_seconds=3600)
        pid = project["id"]
        self.import_items(self.owner, pid, [{"text": f"b {n}"} for n in range(3)])
        self.band("physics", 3, 10000)
        self.assertStatus(self.op.put("/api/v1/pay/settings", {"markup_bp": 0}), 200)
        # One lease is priced at its lease time (100.00 an hour for an hour) until work is
        # accepted; the budget holds one and a half.
        t = self.assertStatus(self.owner.put(f"/api/v1/projects/{pid}/pay",
                                             {"budget_minor": 15000}), 200).json
        self.assertEqual(t["expected_task_minor"], 10000)
        self.assertIs(t["exhausted"], False)
        first = self.assertStatus(self.next_task(self.expert, pid), 200).json["assignment"]
        self.assertIsNotNone(first)
        t = self.assertStatus(self.owner.get(f"/api/v1/projects/{pid}/pay"), 200).json
        self.assertEqual(t["committed_minor"], 10000)
        self.assertIs(t["exhausted"], True, "10000 committed + 10000 expected > 15000")
        r = self.next_task(self.other_expert, pid)
        self.assertError(r, 409, "conflict", "budget_exhausted")
        spend = self.assertStatus(self.owner.get("/api/v1/lab/spend"), 200).json
        row = [p for p in spend["projects"] if p["id"] == pid][0]
        self.assertEqual((row["budget_minor"], row["committed_minor"]), (15000, 10000))
        self.assertIs(row["exhausted"], True)
        self.assertGreaterEqual(row["forecast_minor"], row["committed_minor"])
        # A skip releases the reservation; the budget raised lets work flow again.
        self.assertStatus(self.expert.post(f"/api/v1/assignments/{first['id']}/skip",
                                           {"reason": "not now"}), 200, 204)
        t = self.assertStatus(self.owner.get(f"/api/v1/projects/{pid}/pay"), 200).json
        self.assertEqual((t["committed_minor"], t["exhausted"]), (0, False))
        self.assertStatus(self.next_task(self.other_expert, pid), 200)
        other_spend = self.assertStatus(self.other_owner.get("/api/v1/lab/spend"), 200).json
        self.assertNotIn(pid, str(other_spend))

    def test_d2_concurrent_next_never_overruns_the_budget(self):
        project = self.create_project(self.owner, name=unique("Contended"),
                                      preset="classification", domain="physics", min_level=3,
                                      lease_seconds=3600)
        pid = project["id"]
        self.import_items(self.owner, pid, [{"text": f"c {n}"} for n in range(8)])
        self.band("physics", 3, 10000)
        self.assertStatus(self.op.put("/api/v1/pay/settings", {"markup_bp": 0}), 200)
        # Two leases' worth (100.00 each at the lease time) and a little.
        self.assertStatus(self.owner.put(f"/api/v1/projects/{pid}/pay",
                                         {"budget_minor": 25000}), 200)
        experts = [self.create_expert({"physics": 3})[1] for _ in range(6)]
        with ThreadPoolExecutor(max_workers=6) as pool:
            replies = list(pool.map(lambda e: self.next_task(e, pid), experts))
        leased = [r for r in replies if r.status == 200 and r.json.get("assignment")]
        refused = [r for r in replies if r.status == 409]
        self.assertEqual(len(leased), 2, [r.describe() for r in replies])
        self.assertEqual(len(refused), 4)
        for r in refused:
            self.assertEqual(r.error.get("reason"), "budget_exhausted", r.describe())
        t = self.assertStatus(self.owner.get(f"/api/v1/projects/{pid}/pay"), 200).json
        self.assertEqual(t["committed_minor"], 20000)
        self.assertLessEqual(t["committed_minor"], t["budget_minor"])

    # -- the ledger, statements, invoices, payouts -----------------------------------------

    def test_e_bonus_statement_payout_and_check_reconcile(self):
        key = unique("bonus")
        body = {"expert_id": self.expert_user["id"], "amount_minor": 12345, "currency": "USD",
                "reason": "outstanding derivations", "kind": "bonus", "idempotency_key": key}
        t = self.assertStatus(self.adjust(body), 201).json
        self.assertEqual((t["kind"], t["reason"]), ("bonus", "outstanding derivations"))
        self.assertIsNotNone(t["author_id"])
        # Named as the operator reads the ledger: the expert, the author; no lab, no project.
        self.assertEqual(t["expert"], {"id": self.expert_user["id"],
                                       "name": self.expert_user["name"]})
        self.assertEqual(t["author"], {"id": t["author_id"], "name": "Olga Operator"})
        self.assertIsNone(t["lab"])
        self.assertIsNone(t["project"])
        self.assertIsNone(t["reversed_by"])
        self.assertEqual(sum(p["amount_minor"] for p in t["postings"]), 0)
        again = self.assertStatus(self.adjust(body), 201).json
        self.assertEqual(again["id"], t["id"], "a retry posts once")
        for bad, field in [({**body, "reason": ""}, "reason"),
                           ({**body, "amount_minor": 0, "idempotency_key": unique("k")},
                            "amount_minor"),
                           ({**body, "currency": "ABC", "idempotency_key": unique("k")},
                            "currency"),
                           ({**body, "kind": "gift", "idempotency_key": unique("k")}, "kind"),
                           ({**body, "org_id": self.lab["id"], "idempotency_key": unique("k")},
                            "expert_id")]:
            with self.subTest(field=field):
                r = self.adjust(bad)
                self.assertStatus(r, 400, 422)
                self.assertIn(field, r.detail_fields)

        st = self.assertStatus(self.expert.get("/api/v1/me/earnings"), 200).json
        bonus = [l for l in st["lines"] if l["kind"] == "bonus"]
        self.assertEqual([l["amount_minor"] for l in bonus], [12345])
        usd = [x for x in st["totals"] if x["currency"] == "USD"][0]
        self.assertEqual(usd["balance_minor"], usd["opening_minor"] + usd["earned_minor"]
                         - usd["paid_minor"])
        r = self.assertStatus(self.expert.get("/api/v1/me/earnings.csv"), 200)
        self.assertTrue(r.header("content-type").startswith("text/csv"))
        rows = list(csv.DictReader(io.StringIO(r.text)))
        self.assertIn("123.45", [row["amount"] for row in rows])
        self.assertIn("outstanding derivations", [row["reason"] for row in rows])
        today = t["created_at"][:10]
        same_day = self.assertStatus(self.expert.get(
            "/api/v1/me/earnings", query={"from": today, "to": today}), 200).json
        self.assertIn(t["id"], [l["id"] for l in same_day["lines"]], "both days are included")
        # Another expert sees none of it; bad periods are named.
        other = self.assertStatus(self.other_expert.get("/api/v1/me/earnings"), 200).json
        self.assertNotIn("outstanding derivations", str(other))
        self.assertError(self.expert.get("/api/v1/me/earnings",
                                         query={"from": "2026-12-01", "to": "2026-11-01"}), 400)
        r = self.expert.get("/api/v1/me/earnings", query={"from": "yesterday"})
        self.assertIn("from", r.detail_fields)
        self.assertError(self.owner.get("/api/v1/me/earnings"), 403)

        batch = self.assertStatus(self.op.post("/api/v1/payouts", {"currency": "USD"}), 201).json
        self.assertEqual(batch["status"], "open")
        line = [l for l in batch["lines"] if l["expert"]["id"] == self.expert_user["id"]][0]
        self.assertGreaterEqual(line["amount_minor"], 12345)
        self.assertError(self.op.post("/api/v1/payouts", {"currency": "USD"}), 409, "conflict",
                         "payout_open")
        r = self.assertStatus(self.op.get(f"/api/v1/payouts/{batch['id']}.csv"), 200)
        rows = list(csv.DictReader(io.StringIO(r.text)))
        self.assertIn(self.expert_user["email"], [row["email"] for row in rows])
        paid = self.assertStatus(self.op.post(f"/api/v1/payouts/{batch['id']}/paid", {}),
                                 200).json
        self.assertEqual(paid["status"], "paid")
        self.assertTrue(all(l["transaction_id"] for l in paid["lines"]))
        self.assertEqual(self.assertStatus(self.op.post(f"/api/v1/payouts/{batch['id']}/paid",
                                                        {}), 200).json["status"], "paid")
        st = self.assertStatus(self.expert.get("/api/v1/me/earnings"), 200).json
        usd = [x for x in st["totals"] if x["currency"] == "USD"][0]
        self.assertEqual(usd["balance_minor"], 0)
        self.assertEqual(usd["paid_minor"], line["amount_minor"])
        self.assertError(self.op.post("/api/v1/payouts", {"currency": "USD"}), 409, "conflict",
                         "nothing_to_pay")
        self.assertEqual(len(self.assertStatus(self.op.get("/api/v1/payouts"), 200)
                             .json["payouts"]), 1)

        check = self.ledger_check()
        self.assertEqual(check.returncode, 0, check.stderr)
        self.assertRegex(check.stdout, r"checked \d+ transactions")
        self.assertIn("all reconcile", check.stdout)

    def test_f_invoices_are_the_labs_own_and_reversals_correct(self):
        charge = self.assertStatus(self.adjust({
            "org_id": self.lab["id"], "amount_minor": 50000, "currency": "USD",
            "reason": "setup fee", "kind": "adjustment"}), 201).json
        r = self.adjust({"org_id": self.lab["id"], "amount_minor": 700, "currency": "USD",
                         "reason": "", "kind": "adjustment"})
        self.assertIn("reason", r.detail_fields)
        reversed_ = self.assertStatus(self.op.post(
            f"/api/v1/ledger/transactions/{charge['id']}/reverse", {"reason": "billed twice"}),
            201).json
        self.assertEqual(reversed_["reverses"], charge["id"])
        self.assertError(self.op.post(f"/api/v1/ledger/transactions/{charge['id']}/reverse",
                                      {"reason": "again"}), 409, "conflict", "already_reversed")
        self.assertError(self.op.post(f"/api/v1/ledger/transactions/{reversed_['id']}/reverse",
                                      {"reason": "undo"}), 409, "conflict", "is_reversal")
        self.assertStatus(self.adjust({"org_id": self.lab["id"], "amount_minor": 25000,
                                       "currency": "USD", "reason": "setup fee",
                                       "kind": "adjustment"}), 201)
        listed = self.assertStatus(self.op.get("/api/v1/ledger/transactions",
                                               query={"lab_id": self.lab["id"]}), 200).json
        self.assertEqual(len(listed["transactions"]), 3)
        by_id = {t["id"]: t for t in listed["transactions"]}
        self.assertEqual(by_id[charge["id"]]["reversed_by"], reversed_["id"])
        self.assertIsNone(by_id[reversed_["id"]]["reversed_by"])
        self.assertEqual(by_id[reversed_["id"]]["lab"], {"id": self.lab["id"],
                                                         "name": self.lab["name"]})
        self.assertEqual(by_id[reversed_["id"]]["author"]["name"], "Olga Operator")
        self.assertIsNone(by_id[charge["id"]]["expert"])
        # Only an operator reads the ledger; a lab and an expert see their invoices and earnings.
        self.assertError(self.owner.get("/api/v1/ledger/transactions",
                                        query={"lab_id": self.lab["id"]}), 403)
        self.assertError(self.expert.get("/api/v1/ledger/transactions"), 403)
        self.assertError(self.owner.post(f"/api/v1/ledger/transactions/{charge['id']}/reverse",
                                         {"reason": "mine"}), 403)

        today = charge["created_at"][:10]
        invoice = self.assertStatus(self.op.post("/api/v1/invoices", {
            "org_id": self.lab["id"], "from": today, "to": today}), 201).json
        self.assertEqual(invoice["total_minor"], 25000)
        self.assertEqual(sum(l["amount_minor"] for l in invoice["lines"]), 25000)
        self.assertError(self.op.post("/api/v1/invoices", {
            "org_id": self.lab["id"], "from": "2000-01-01", "to": "2100-01-01"}), 409, "conflict",
            "nothing_to_invoice")
        r = self.op.post("/api/v1/invoices", {"org_id": self.lab["id"], "from": "2026-02-01",
                                              "to": "2026-01-01"})
        self.assertIn("to", r.detail_fields)
        mine = self.assertStatus(self.owner.get("/api/v1/invoices"), 200).json["invoices"]
        self.assertEqual([i["id"] for i in mine], [invoice["id"]])
        self.assertStatus(self.member.get(f"/api/v1/invoices/{invoice['id']}"), 200)
        r = self.assertStatus(self.owner.get(f"/api/v1/invoices/{invoice['id']}.csv"), 200)
        self.assertIn("250.00", r.text)
        self.assertEqual(self.assertStatus(self.other_owner.get("/api/v1/invoices"), 200)
                         .json["invoices"], [])
        self.assertError(self.other_owner.get(f"/api/v1/invoices/{invoice['id']}"), 404,
                         "not_found")
        self.assertError(self.other_owner.get(f"/api/v1/invoices/{invoice['id']}.csv"), 404,
                         "not_found")
        self.assertError(self.expert.get("/api/v1/invoices"), 403)

        # The lab pays: the operator records it once, however often it is sent.
        self.assertIsNone(invoice["paid_at"])
        self.assertError(self.owner.post(f"/api/v1/invoices/{invoice['id']}/paid", {}), 403)
        paid = self.assertStatus(self.op.post(f"/api/v1/invoices/{invoice['id']}/paid", {}),
                                 200).json
        self.assertIsNotNone(paid["paid_at"])
        self.assertEqual(paid["total_minor"], 25000)
        again = self.assertStatus(self.op.post(f"/api/v1/invoices/{invoice['id']}/paid", {}),
                                  200).json
        self.assertEqual(again["paid_at"], paid["paid_at"])
        self.assertEqual(self.assertStatus(self.owner.get(f"/api/v1/invoices/{invoice['id']}"),
                                           200).json["paid_at"], paid["paid_at"])
        payments = self.assertStatus(self.op.get("/api/v1/ledger/transactions", query={
            "lab_id": self.lab["id"], "kind": "invoice_payment"}), 200).json["transactions"]
        self.assertEqual(len(payments), 1)
        self.assertEqual(sorted((p["account"], p["amount_minor"]) for p in payments[0]["postings"]),
                         [("lab_receivable", -25000), ("platform_cash", 25000)])
        self.assertError(self.op.post("/api/v1/invoices/ivc_aaaaaaaaaaaaa/paid", {}), 404,
                         "not_found")
        self.assertError(self.op.post("/api/v1/invoices", {
            "org_id": self.lab["id"], "from": "2000-01-01", "to": "2100-01-01"}), 409, "conflict",
            "nothing_to_invoice")
        check = self.ledger_check()
        self.assertEqual(check.returncode, 0, check.stderr)
        self.assertIn("1 invoices (1 paid)", check.stdout)

    def test_g_reviewed_work_is_paid_once_and_charged_to_its_lab(self):
        project = self.create_project(self.owner, name=unique("Reviewed"),
                                      preset="classification", domain="physics", min_level=3,
                                      redundancy=1)
        pid = project["id"]
        self.import_items(self.owner, pid, [{"text": f"r {n}"} for n in range(3)])
        self.assertStatus(self.owner.put(f"/api/v1/projects/{pid}/review-policy",
                                         {"mode": "all"}), 200)
        self.band("physics", 3, 7200)  # 2 cents a second
        self.assertStatus(self.op.put("/api/v1/pay/settings", {"markup_bp": 5000}), 200)
        self.assertStatus(self.op.put(f"/api/v1/labs/{self.lab['id']}/pay",
                                      {"currency": "USD", "markup_bp": None}), 200)
        worker_user, worker = self.create_expert({"physics": 3})
        _, reviewer = self.create_expert({"physics": (5, True)})
        decided = []
        for outcome in ("accept", "reject", "spam"):
            a = self.assertStatus(self.next_task(worker, pid), 200).json["assignment"]
            self.assertStatus(worker.post(f"/api/v1/assignments/{a['id']}/heartbeat",
                                          {"active_seconds": 50}), 200, 204)
            self.assertStatus(self.submit(worker, a["id"], {"label": "correct"}), 201)
            task = self.assertStatus(reviewer.post("/api/v1/review/next", {"project_id": pid}),
                                     200).json
            body = {"outcome": outcome, "comment": "checked"}
            if outcome != "accept":
                body = {"outcome": "reject", "reason": "quality" if outcome == "reject" else
                        "spam", "comment": "checked"}
            self.assertStatus(reviewer.post(f"/api/v1/review/{task['id']}/decision", body), 200)
            # The same decision again answers with the stored one and pays nothing more.
            self.assertStatus(reviewer.post(f"/api/v1/review/{task['id']}/decision", body), 200)
            decided.append(task)
        st = self.assertStatus(worker.get("/api/v1/me/earnings"), 200).json
        decisions = [l for l in st["lines"] if l["kind"] == "decision"]
        self.assertEqual(sorted(l["outcome"] for l in decisions),
                         ["accepted", "rejected_quality", "rejected_spam"])
        for line in decisions:
            paid = 0 if line["outcome"] == "rejected_spam" else 2 * line["seconds"]
            self.assertEqual(line["amount_minor"], paid)
            self.assertEqual(line["project"]["id"], pid)
        terms = self.assertStatus(self.owner.get(f"/api/v1/projects/{pid}/pay"), 200).json
        accepted = [l for l in decisions if l["outcome"] == "accepted"][0]
        cost = accepted["amount_minor"]
        self.assertEqual(terms["spent_minor"], cost + (cost * 5000 + 5000) // 10000)
        costs = self.assertStatus(self.owner.get(f"/api/v1/projects/{pid}/costs"), 200).json
        self.assertEqual(costs["accepted_answers"], 1)
        self.assertEqual(costs["cost_per_accepted_minor"], terms["spent_minor"])
        listed = self.assertStatus(self.op.get("/api/v1/ledger/transactions", query={
            "project_id": pid, "kind": "decision"}), 200).json["transactions"]
        self.assertEqual(len(listed), 3)
        check = self.ledger_check()
        self.assertEqual(check.returncode, 0, check.stderr)

    def test_z_ledger_check_fails_on_a_mismatch(self):
        db = sqlite3.connect(f"{self.data_dir}/fachwerk.db", timeout=30)
        try:
            with db:
                db.execute("UPDATE ledger_accounts SET balance_minor = balance_minor + 1 "
                           "WHERE kind = 'platform_revenue'")
            check = self.ledger_check()
            self.assertEqual(check.returncode, 1, check.stdout)
            self.assertIn("MISMATCH", check.stdout)
            self.assertRegex(check.stderr, r"mismatch: account \d+ has balance")
        finally:
            with db:
                db.execute("UPDATE ledger_accounts SET balance_minor = balance_minor - 1 "
                           "WHERE kind = 'platform_revenue'")
            db.close()
        self.assertEqual(self.ledger_check().returncode, 0)
