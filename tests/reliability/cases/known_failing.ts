/**
 * The cases rampa still fails, by name, each with the one-line behaviour observed (on HEAD
 * 9aab970, 2026-12-03). This is the work queue of issue 14: delete a line when its fix lands
 * (the suite prints "FIXED, remove knownFailing" for a listed case that passes). A case can
 * also carry `knownFailing` itself; a name here that matches no case fails the suite.
 *
 * @module
 */

/** Case name → what rampa does today. */
export const KNOWN_FAILING: Readonly<Record<string, string>> = {
  // 1. User code without a deadline
  "a scenario that loops forever at import":
    "hang: `while (true) {}` at import, no message; killed at 15 s",
  "a scenario whose import never settles":
    "hang: top-level `await new Promise(() => {})`, no message; killed at 15 s",
  // 2. No silent pass
  "a URL with port 0":
    "not rejected before load: 50 requests fail with `other: RangeError: Invalid port`, exit 8",
  "a ws:// URL to a plain HTTP server fails the handshake with exit 8":
    "exit 0 PASSED with 100% handshake failures (`Server answered the upgrade with 200 OK`)",
  "zero VUs": "--vus 0 accepted: exit 0 PASSED with no load (exit 2 on d01cb9f: a regression)",
  // 3. Unbounded series
  "5,000 distinct custom-metric tag values are capped into (other)":
    "no (other) cap and no warning for custom-metric tag values",
  // 5. Absurd values
  "a scenario with a million VUs": "options.vus 1e6 accepted: the worker stops responding, exit 10",
  "a scenario with stages and an invalid duration":
    "`duration: 'soon'` beside stages is not reported: exit 0 PASSED",
  "a scenario with stages and invalid iterations":
    "`iterations: -4` beside stages is not reported: exit 0 PASSED",
  "an error rate below 250% (can never fail)": "accepted, the run goes ahead, exit 0",
  "an average below 1e309 (can never fail)": "accepted, the run goes ahead, exit 0",
  "an error rate below -5% (can never pass)": "accepted, the run goes ahead, exit 3",
  "a count above -1 (can never fail)": "accepted, the run goes ahead, exit 0",
  "a rate above 100% (can never pass)": "accepted, the run goes ahead, exit 3",
  "a duration below 0 ms (can never pass)": "accepted, the run goes ahead, exit 3",
  // 6. Signals outside the measured phase
  "SIGTERM during an HTTPS pre-connect to a silent port exits 130 with the summary":
    "hang: SIGTERM during the TLS pre-connect is not acted on; killed at 20 s, no summary",
  // 7. Unbounded reads
  "--expect-body-json of /dev/zero": "hang: reads /dev/zero without bound",
  "merge of /dev/zero": "hang: reads /dev/zero without bound",
  "report of /dev/zero": "hang: reads /dev/zero without bound",
  // 8. Secrets and terminal injection
  "an invalid --out with a token in its URL does not echo the token":
    "the error echoes the whole --out value, token included",
  "a request name with terminal escape codes is escaped on the console":
    "raw ESC sequences printed to the console",
  "a check name with terminal escape codes is escaped on the console":
    "raw ESC sequences printed to the console",
  // 9. Durable outputs
  "a JUnit file on a full disk is exit 9, never 0 bytes":
    "exit 9, no partial file, but the lock file .j.xml.rampa-lock is left behind",
  "a text summary on a full disk is exit 9":
    "exit 9, no partial file, but the lock file .c.txt.rampa-lock is left behind",
  "every output on a full disk is attempted and the console summary kept":
    "exit 9, no partial file, but the lock file .j.xml.rampa-lock is left behind",
  "a CSV file on a full disk is exit 9, never a cut file": "exit 9 but leaves a 0-byte file",
  "a GitHub step summary on a full disk is exit 9": "exit 9 but leaves a 0-byte file",
  "help on /dev/full is not an internal error":
    "internal error (please report): No space left on device, exit 1",
  "an HTML report under /proc fails before load without --allow-all":
    "html=/proc/version is not checked before load: 50 requests sent, exit 9 at the end",
  "an output directory deleted mid-run fails the run, never PASSED":
    "exit 0 ✓ PASSED although the summary and CSV directory vanished mid-run",
  // 10. https:// against plain HTTP
  "https:// to a plain-HTTP listener with the default timeout is not silent for 60 s":
    "hang: the silent TLS pre-connect waits the whole 60 s --timeout",
  // Also: merge, report, serve, achieved rate
  "merge of the same file twice": "accepted, every count doubled, exit 0",
  "merge of two copies of the same run": "accepted (the same run id twice), exit 0",
  "merge of a summary with a negative request count": "accepted (requests -1e+308), exit 0",
  "merge of a summary with a corrupt histogram": "accepted, exit 0",
  "report of a summary with a corrupt histogram": "accepted, HTML written, exit 0",
  "serve on a public address it does not own":
    "internal error (please report): AddrNotAvailable, exit 1",
  "serve with an unresolvable host":
    "internal error (please report): failed to lookup address information, exit 1",
  "the achieved rate is the offered one, not per last completion":
    "--rate 4/s -d 1s reports `run 789ms` and `5.1/s achieved of 4.0/s`",
};
