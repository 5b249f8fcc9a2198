"""Keeping other people out (issue 11): everything that defends the server lives in this package.

- ``files``: the data directory is 0700 and every file in it 0600, whatever the umask (checked and
  repaired at start; the process umask becomes 077).
- ``tokens``: login tokens carry the user's session version and a token id, checked against the
  database on every request and socket event (logout, password change, removal and re-creation
  invalidate old tokens; a token never recreates a removed user).
- ``ownership``: the one place where Chainlit's routes that read or change a thread, step, element,
  feedback or file check that the caller owns it (and thread sharing follows the setting).
- ``login``: per-name and per-address exponential back-off (429, bilingual), verification on its own
  thread with a bounded queue.
- ``http``: request bodies bounded before they are read, uploads authenticated, rate-limited and
  checked against the quota before the body is read; CSP and the other security headers; the UI page
  without outside fonts or stylesheets.
- ``uploads``: the XLSX worker process (stopped at the time limit), upload rate limit, quota,
  de-duplication, safe file names.
- ``storage``: content-addressed (hard-linked) element and dataset files, so identical uploads are
  stored once.
- ``model_view``: what a language model may see of a tool result and of the loaded data.
- ``render``: data text never becomes a link in answers and chart labels.
- ``shutdown``: SIGTERM stops the server within seconds.

Only app.py imports ``agent.security.wiring`` (it imports Chainlit); the other modules do not.
"""
