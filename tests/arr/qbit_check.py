"""The real qBittorrent client library, qbittorrent-api (written by others, used by many
*arr tools), against the product's qBittorrent WebAPI v2 (INTEGRATIONS.md section 3).

It logs in with a `download` API key as the password, adds a magnet taken from the
product's own Torznab feed, follows torrents_info until the item is `pausedUP` with the file
at `content_path`, checks the file there, and deletes it with its files.

Run by tests/arr/run.sh, which starts the server and the fake site and sets:
  ANIWORLD_URL        the server, e.g. http://127.0.0.1:8000
  ANIWORLD_DOWNLOAD_KEY  a key with the `download` scope
  ANIWORLD_EXPECT_BYTES  the size in bytes the downloaded file must have
By hand: ANIWORLD_URL=... ANIWORLD_DOWNLOAD_KEY=... python3 tests/arr/qbit_check.py
"""

import os
import sys
import time
import urllib.request
import xml.etree.ElementTree as ET

import qbittorrentapi

URL = os.environ["ANIWORLD_URL"]
KEY = os.environ["ANIWORLD_DOWNLOAD_KEY"]
EXPECT_BYTES = int(os.environ.get("ANIWORLD_EXPECT_BYTES", "0"))
TORZNAB = "{http://torznab.com/schemas/2015/feed}attr"


def fail(message):
    print(f"qbit_check: FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def feed_magnet():
    """The first item of the Torznab feed without a query (Sonarr's RSS sync)."""
    with urllib.request.urlopen(f"{URL}/torznab/api?t=tvsearch&apikey={KEY}") as r:
        rss = ET.fromstring(r.read())
    items = rss.findall("./channel/item")
    if not items:
        fail("the feed without a query is empty")
    item = items[0]
    attrs = {a.get("name"): a.get("value") for a in item.findall(TORZNAB)}
    magnet = item.find("enclosure").get("url")
    if f"urn:btih:{attrs['infohash']}" not in magnet:
        fail(f"the infohash {attrs['infohash']} is not the magnet's: {magnet}")
    return item.findtext("title"), attrs["infohash"], magnet


def main():
    title, infohash, magnet = feed_magnet()
    print(f"qbit_check: feed offers {title} ({infohash})")
    client = qbittorrentapi.Client(host=URL, username="sonarr", password=KEY)
    try:
        client.auth_log_in()
    except qbittorrentapi.LoginFailed as e:
        fail(f"login with the download key failed: {e}")
    print(f"qbit_check: logged in; app {client.app.version}, web API {client.app.web_api_version}")

    bad = qbittorrentapi.Client(host=URL, username="sonarr", password="0" * 32)
    try:
        bad.auth_log_in()
        fail("a wrong key logged in")
    except qbittorrentapi.LoginFailed:
        pass

    answer = client.torrents_add(urls=magnet, category="tv-sonarr")
    if answer != "Ok.":
        fail(f"torrents_add answered {answer!r}")
    if client.torrents_add(urls="magnet:?xt=urn:btih:" + "ab" * 20) != "Fails.":
        fail("a magnet the server never offered was added")
    categories = client.torrents_categories()
    if "tv-sonarr" not in categories:
        fail(f"the category was not made: {categories}")

    deadline = time.monotonic() + 60
    seen = []
    while True:
        torrents = client.torrents_info(category="tv-sonarr", torrent_hashes=infohash)
        if len(torrents) != 1:
            fail(f"torrents_info lists {len(torrents)} items for {infohash}")
        t = torrents[0]
        if not seen or seen[-1] != t.state:
            seen.append(t.state)
        if t.state == "pausedUP":
            break
        if t.state == "error" or time.monotonic() > deadline:
            fail(f"the download did not complete: states {seen}, {dict(t)}")
        time.sleep(0.2)
    print(f"qbit_check: states {' -> '.join(seen)}; progress {t.progress}")
    if t.name != title or t.hash != infohash:
        fail(f"name/hash {t.name}/{t.hash} are not the feed's {title}/{infohash}")
    if t.content_path == t.save_path or not t.content_path.startswith(t.save_path):
        fail(f"content_path {t.content_path} must be a file under save_path {t.save_path}")
    if not os.path.isfile(t.content_path):
        fail(f"no file at content_path {t.content_path}")
    size = os.path.getsize(t.content_path)
    if size == 0 or (EXPECT_BYTES and size != EXPECT_BYTES):
        fail(f"the file has {size} bytes, expected {EXPECT_BYTES}")
    props = client.torrents_properties(torrent_hash=infohash)
    if props.save_path != t.save_path:
        fail(f"properties' save_path {props.save_path} != {t.save_path}")
    files = client.torrents_files(torrent_hash=infohash)
    if len(files) != 1 or not t.content_path.endswith(files[0].name):
        fail(f"files {files} do not name {t.content_path}")
    print(f"qbit_check: {size} bytes at {t.content_path}")

    client.torrents_delete(delete_files=True, torrent_hashes=infohash)
    if client.torrents_info(torrent_hashes=infohash):
        fail("the item is still listed after torrents_delete")
    if os.path.exists(t.content_path):
        fail(f"the file {t.content_path} is still there after delete_files=True")
    client.auth_log_out()
    print("qbit_check: ok")


if __name__ == "__main__":
    main()
