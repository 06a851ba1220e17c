"""Tests of scripts/check-raw-sql."""

import importlib.machinery
import importlib.util
import pathlib
import tempfile
import unittest

_PATH = pathlib.Path(__file__).resolve().parent / "check-raw-sql"
_LOADER = importlib.machinery.SourceFileLoader("check_raw_sql", str(_PATH))
_SPEC = importlib.util.spec_from_loader("check_raw_sql", _LOADER)
check = importlib.util.module_from_spec(_SPEC)
_LOADER.exec_module(check)


class CheckRawSqlTest(unittest.TestCase):
    def test_reports_each_way_soci_runs_sql(self):
        text = "\n".join([
            'db::Query(s, "SELECT 1").One(one);',
            's << "SELECT id FROM orgs WHERE id = :id", soci::into(id), soci::use(oid);',
            'soci::statement st = (s.prepare << sql, soci::into(x));',
            'session << "delete from items";',
            '// s << "SELECT in a comment" is fine',
            'std::cout << "selected " << n;',
        ])
        self.assertEqual([n for n, _ in check.check_text(text)], [2, 3, 4])

    def test_db_room_tests_and_fixtures_are_exempt(self):
        self.assertTrue(check.exempt(pathlib.Path("/r/src/db/query.cc")))
        self.assertTrue(check.exempt(pathlib.Path("/r/src/orgs/orgs_test.cc")))
        self.assertTrue(check.exempt(pathlib.Path("/r/src/orgs/testing.h")))
        self.assertFalse(check.exempt(pathlib.Path("/r/src/orgs/orgs.cc")))
        self.assertFalse(check.exempt(pathlib.Path("/r/src/dbx/x.cc")))

    def test_exit_status(self):
        with tempfile.TemporaryDirectory() as d:
            good = pathlib.Path(d) / "good.cc"
            good.write_text('db::Query(s, "SELECT 1").Run();\n')
            self.assertEqual(check.main([str(good)]), 0)
            bad = pathlib.Path(d) / "bad.cc"
            bad.write_text('s << "UPDATE x SET y = 1";\n')
            self.assertEqual(check.main([d]), 1)


if __name__ == "__main__":
    unittest.main()
