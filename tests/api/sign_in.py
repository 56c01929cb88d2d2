"""Signs in to a running `hearth serve` and prints the session cookie's value."""
import json
import sys
import time
import urllib.request

base, login, password = sys.argv[1:4]
for _ in range(100):
    try:
        urllib.request.urlopen(f"{base}/api/health", timeout=2)
        break
    except OSError:
        time.sleep(0.1)
req = urllib.request.Request(
    f"{base}/api/sign-in",
    data=json.dumps({"login": login, "password": password}).encode(),
    headers={"content-type": "application/json"},
    method="POST",
)
with urllib.request.urlopen(req, timeout=10) as r:
    cookie = r.headers.get("set-cookie", "")
value = cookie.split("hearth_session=", 1)[1].split(";", 1)[0]
print(value)
