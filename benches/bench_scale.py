"""rightsdesk at a million assets: bulk load into PostgreSQL, then measure the real app over HTTP.

    python benches/bench_scale.py                     # 1,000,000 rows (a few minutes)
    python benches/bench_scale.py --rows 20000        # a quick run
    python benches/bench_scale.py --reuse             # measure again without reloading

The catalogue lives in its own schema (default `bench_scale`) of the database named by
--url / RIGHTSDESK_BENCH_PG_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test).
The schema is dropped and reloaded unless --reuse finds it already holding --rows assets;
--drop removes it at the end.

Load: schema by the Alembic migrations, secondary indexes dropped, synthetic agency records
(EPA, Reuters, AP, AFP, Shutterstock, Getty, Anadolu captions with credit lines, references,
handouts and restriction phrases) streamed with COPY, indexes rebuilt, VACUUM ANALYZE.
Measure: `uvicorn api.asgi:app` in a subprocess (RIGHTSDESK_AUTH=off), one keep-alive client,
sequential requests; p50/p95 of lookups by id and by agency reference, filtered listings,
full-text searches and rights checks of 100 assets; then EXPLAIN (ANALYZE, BUFFERS) of the
query behind the slowest request.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import psycopg
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from assets.db import make_engine  # noqa: E402
from assets.migrations import upgrade  # noqa: E402
from benches.served import free_port, wait_ready  # noqa: E402

console = Console()
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
GOALS_MS = {"lookup by id": 10, "lookup by agency ref": 10, "search": 100, "check 100": 30}

# --- synthetic agency records ----------------------------------------------------------------

CITIES = [
    ("Kyiv", "Ukraine"),
    ("Kharkiv", "Ukraine"),
    ("Odesa", "Ukraine"),
    ("Lviv", "Ukraine"),
    ("Zaporizhzhia", "Ukraine"),
    ("Moscow", "Russia"),
    ("Ivanovo", "Russia"),
    ("St. Petersburg", "Russia"),
    ("Berlin", "Germany"),
    ("Munich", "Germany"),
    ("Hamburg", "Germany"),
    ("Paris", "France"),
    ("Marseille", "France"),
    ("Lyon", "France"),
    ("London", "Britain"),
    ("Manchester", "Britain"),
    ("Glasgow", "Britain"),
    ("Madrid", "Spain"),
    ("Barcelona", "Spain"),
    ("Valencia", "Spain"),
    ("Rome", "Italy"),
    ("Milan", "Italy"),
    ("Naples", "Italy"),
    ("Warsaw", "Poland"),
    ("Krakow", "Poland"),
    ("Brussels", "Belgium"),
    ("Amsterdam", "Netherlands"),
    ("Vienna", "Austria"),
    ("Zurich", "Switzerland"),
    ("Geneva", "Switzerland"),
    ("Stockholm", "Sweden"),
    ("Oslo", "Norway"),
    ("Helsinki", "Finland"),
    ("Copenhagen", "Denmark"),
    ("Athens", "Greece"),
    ("Istanbul", "Turkey"),
    ("Ankara", "Turkey"),
    ("Jerusalem", "Israel"),
    ("Gaza City", "Palestinian Territories"),
    ("Beirut", "Lebanon"),
    ("Damascus", "Syria"),
    ("Baghdad", "Iraq"),
    ("Tehran", "Iran"),
    ("Riyadh", "Saudi Arabia"),
    ("Doha", "Qatar"),
    ("Dubai", "United Arab Emirates"),
    ("Cairo", "Egypt"),
    ("Tunis", "Tunisia"),
    ("Lagos", "Nigeria"),
    ("Nairobi", "Kenya"),
    ("Johannesburg", "South Africa"),
    ("Kinshasa", "DR Congo"),
    ("Khartoum", "Sudan"),
    ("Addis Ababa", "Ethiopia"),
    ("New Delhi", "India"),
    ("Mumbai", "India"),
    ("Karachi", "Pakistan"),
    ("Kabul", "Afghanistan"),
    ("Dhaka", "Bangladesh"),
    ("Beijing", "China"),
    ("Shanghai", "China"),
    ("Hong Kong", "China"),
    ("Taipei", "Taiwan"),
    ("Tokyo", "Japan"),
    ("Osaka", "Japan"),
    ("Seoul", "South Korea"),
    ("Pyongyang", "North Korea"),
    ("Manila", "Philippines"),
    ("Jakarta", "Indonesia"),
    ("Bangkok", "Thailand"),
    ("Hanoi", "Vietnam"),
    ("Sydney", "Australia"),
    ("Melbourne", "Australia"),
    ("Auckland", "New Zealand"),
    ("Washington", "USA"),
    ("New York", "USA"),
    ("Los Angeles", "USA"),
    ("Chicago", "USA"),
    ("Miami", "USA"),
    ("Houston", "USA"),
    ("Ottawa", "Canada"),
    ("Toronto", "Canada"),
    ("Mexico City", "Mexico"),
    ("Havana", "Cuba"),
    ("Bogota", "Colombia"),
    ("Caracas", "Venezuela"),
    ("Lima", "Peru"),
    ("Santiago", "Chile"),
    ("Buenos Aires", "Argentina"),
    ("Sao Paulo", "Brazil"),
    ("Rio de Janeiro", "Brazil"),
    ("Brasilia", "Brazil"),
    ("Davos", "Switzerland"),
    ("Strasbourg", "France"),
    ("Luxembourg", "Luxembourg"),
    ("Belgrade", "Serbia"),
    ("Bucharest", "Romania"),
    ("Budapest", "Hungary"),
    ("Prague", "Czech Republic"),
    ("Minsk", "Belarus"),
    ("Tbilisi", "Georgia"),
    ("Yerevan", "Armenia"),
    ("Baku", "Azerbaijan"),
]
_FIRST_NAMES = (
    "Olena Dmitri Anna Sergei Maria Jean Sophie Luca Giulia Carlos Ana Pedro Lucia Jan Piotr "
    "Agnieszka Lars Ingrid Mehmet Ayse Ahmed Fatima Omar Yusuf Amina Chinedu Wanjiru Thabo "
    "Rahul Priya Wei Mei Hiroshi Yuki Min-jun Ji-woo Juan Camila Diego Valentina John Mary "
    "James Emily Michael Sarah David Laura Thomas Claire Pierre Elena Marco Francesca Hans "
    "Klaus Ursula Olaf Annalena Volodymyr Emmanuel Giorgia Pedro Keir Ursula Recep Narendra"
)
_LAST_NAMES = (
    "Kovalenko Shevchenko Ivanov Petrov Smirnova Dupont Martin Bernard Rossi Russo Bianchi "
    "Garcia Fernandez Lopez Martinez Kowalski Nowak Wisniewski Andersson Johansson Nielsen "
    "Yilmaz Kaya Demir Hassan Ali Mahmoud Ibrahim Okafor Mwangi Nkosi Sharma Patel Singh Wang "
    "Li Zhang Chen Tanaka Suzuki Sato Kim Lee Park Rodriguez Gomez Silva Santos Oliveira "
    "Smith Johnson Brown Taylor Wilson Davies Evans Thomas Roberts Mueller Schmidt Schneider "
    "Fischer Weber Becker Zelensky Macron Meloni Scholz Sanchez Starmer Erdogan Modi Lula "
    "Baerbock"
)
FIRST = _FIRST_NAMES.split()
LAST = _LAST_NAMES.split()
SUBJECTS = [
    "Protesters",
    "Firefighters",
    "Rescue workers",
    "Supporters",
    "Soldiers",
    "Police officers",
    "Residents",
    "Fans",
    "Farmers",
    "Students",
    "Activists",
    "Delegates",
    "Workers",
    "Volunteers",
    "Journalists",
    "Pilgrims",
    "Tourists",
    "Children",
    "Doctors",
    "Voters",
]
ACTIONS = [
    "gather",
    "march",
    "react",
    "take part",
    "pose",
    "wait",
    "celebrate",
    "clear debris",
    "hold placards",
    "queue",
    "pray",
    "walk past damaged buildings",
    "attend a vigil",
    "listen to speeches",
    "evacuate residents",
    "inspect the damage",
    "vote",
    "perform",
]
EVENTS = [
    "during a protest against pension reform",
    "at a press conference",
    "during the European Council summit",
    "after a missile strike",
    "at the opening of the climate conference",
    "during a football match",
    "during the national day parade",
    "after heavy flooding",
    "during a wildfire",
    "at a campaign rally",
    "at the funeral of victims",
    "during a general strike",
    "at the Olympic qualifiers",
    "during a state visit",
    "at the film festival",
    "during the marathon",
    "after an earthquake",
    "at a refugee camp",
    "during the election",
    "at the G20 meeting",
    "during the Champions League final",
    "at a fashion show",
    "during a heatwave",
    "at the trial",
    "during peace talks",
    "at the border crossing",
]
SPORTS = ["football", "tennis", "cycling", "athletics", "basketball", "skiing", "swimming"]
TOPICS = [
    "politics",
    "war",
    "conflict",
    "disaster",
    "weather",
    "climate",
    "economy",
    "sport",
    "culture",
    "religion",
    "health",
    "migration",
    "justice",
    "elections",
    "diplomacy",
    "energy",
    "transport",
    "protest",
    "environment",
    "technology",
    *SPORTS,
]
FILLER = [
    "The government announced new measures on {day} amid growing pressure.",
    "According to local authorities, {n} people were injured.",
    "The talks are expected to continue next week in {city2}.",
    "Officials said the situation remained tense overnight.",
    "Organisers estimated that more than {n} people took part.",
    "The ministry said an investigation had been opened.",
    "Emergency services were deployed across the region.",
    "The event marks the {n}th anniversary of the agreement.",
    "Leaders are discussing energy prices, security and trade.",
    "Heavy rain is forecast to continue until {day}.",
]
HANDOUT_SOURCES = [
    "RUSSIAN DEFENCE MINISTRY PRESS SERVICE",
    "UKRAINIAN PRESIDENTIAL PRESS SERVICE",
    "KREMLIN POOL",
    "ISRAEL DEFENSE FORCES",
    "US NAVY",
    "NASA",
    "WHITE HOUSE",
    "ELYSEE PALACE",
    "VATICAN MEDIA",
    "KCNA",
    "IRANIAN SUPREME LEADER OFFICE",
    "SPANISH ROYAL HOUSE",
]


@dataclass
class Row:
    id: str
    created_at: datetime
    caption: str
    agency: str
    agency_ref: str | None
    source: str
    handout: bool
    status: str
    rights: dict[str, Any]
    embedded: dict[str, Any]
    codes: list[str] = field(default_factory=list)


class Records:
    """Reproducible synthetic catalogue rows; popular places and people recur (Zipf-like)."""

    def __init__(self, seed: int, rows: int) -> None:
        self.random = random.Random(seed)
        self.rows = rows
        self.city_weights = list(accumulate(1 / (i + 1) ** 0.7 for i in range(len(CITIES))))
        self.people = [f"{f} {last}" for last in LAST for f in FIRST[:12]]
        self.random.shuffle(self.people)
        self.person_weights = list(accumulate(1 / (i + 1) ** 0.8 for i in range(len(self.people))))
        self.span = timedelta(days=3 * 365)  # three years of pictures, the newest just stored
        self.start = datetime.now(UTC).replace(microsecond=0) - self.span
        self.serial = 0

    def city(self) -> tuple[str, str]:
        return self.random.choices(CITIES, cum_weights=self.city_weights)[0]

    def person(self) -> str:
        return self.random.choices(self.people, cum_weights=self.person_weights)[0]

    def byline(self) -> str:
        return f"{self.random.choice(FIRST)} {self.random.choice(LAST)}"

    def __iter__(self) -> Iterator[Row]:
        step = self.span / self.rows
        for index in range(self.rows):
            yield self.make(self.start + step * index)

    def make(self, created: datetime) -> Row:
        r = self.random
        self.serial += 1
        city, country = self.city()
        when = created - timedelta(hours=r.randint(1, 48))
        date_text = f"{when.day:02d} {when:%B %Y}"
        subject = r.choice(SUBJECTS)
        if r.random() < 0.25:
            subject = f"{self.person()}"
            action = r.choice(["speaks", "arrives", "gestures", "attends", "meets supporters"])
        else:
            action = r.choice(ACTIONS)
        event = r.choice(EVENTS)
        filler = r.choice(FILLER).format(
            day=f"{(when + timedelta(days=r.randint(1, 9))):%A}",
            n=r.randint(2, 5000),
            city2=self.city()[0],
        )
        body = f"{subject} {action} {event} in {city}, {country}, {date_text}. {filler}"
        agency = r.choices(
            ["EPA", "REUTERS", "AP", "AFP", "SHUTTERSTOCK", "GETTY", "ANADOLU"],
            [35, 20, 15, 12, 8, 5, 5],
        )[0]
        handout = r.random() < 0.08
        byline = self.byline()
        source_name = r.choice(HANDOUT_SOURCES) if handout else agency
        phrases: list[tuple[str, str]] = []
        if agency == "EPA":
            ref = f"epa{10_000_000 + self.serial:08d}"
            if handout:
                credit = f"EPA/{source_name}/HANDOUT"
                tail = f"{credit} HANDOUT EDITORIAL USE ONLY/NO SALES"
                phrases = [("EDITORIAL_USE_ONLY", "EDITORIAL USE ONLY"), ("NO_SALES", "NO SALES")]
            else:
                credit = f"EPA-EFE/{byline.upper()}"
                tail = credit
                if r.random() < 0.15:
                    tail += " MANDATORY CREDIT"
                    phrases = [("MANDATORY_CREDIT", "MANDATORY CREDIT")]
            caption = f"{ref} {body} {tail}"
        elif agency == "REUTERS":
            ref = "RC2" + secrets.token_hex(5).upper()
            credit = f"REUTERS/{byline}"
            tail = credit
            if handout:
                credit = f"{source_name.title()}/Handout via REUTERS"
                tail = (
                    f"{credit} ATTENTION EDITORS - THIS IMAGE HAS BEEN SUPPLIED BY A THIRD"
                    " PARTY. NO RESALES. NO ARCHIVES."
                )
                phrases = [("NO_RESALES", "NO RESALES"), ("NO_ARCHIVES", "NO ARCHIVES")]
            caption = f"{body} {tail}"
        elif agency == "AP":
            ref = f"ap{r.randint(10**9, 10**10 - 1)}"
            credit = f"AP Photo/{byline}"
            caption = f"{body} ({credit})"
            if handout:
                credit = f"{source_name.title()} via AP"
                caption = f"{body} ({credit}) NO SALES"
                phrases = [("NO_SALES", "NO SALES")]
        elif agency == "AFP":
            ref = secrets.token_hex(4).upper()
            credit = f"AFP PHOTO / {byline.upper()}"
            caption = f"{body} {credit}"
            if handout:
                credit = f"AFP PHOTO / HO / {source_name}"
                caption = (
                    f'{body} RESTRICTED TO EDITORIAL USE - MANDATORY CREDIT "{credit}" -'
                    " NO MARKETING NO ADVERTISING CAMPAIGNS - DISTRIBUTED AS A SERVICE TO CLIENTS"
                )
                phrases = [
                    ("EDITORIAL_USE_ONLY", "RESTRICTED TO EDITORIAL USE"),
                    ("MANDATORY_CREDIT", "MANDATORY CREDIT"),
                    ("NO_MARKETING", "NO MARKETING"),
                    ("NO_ADVERTISING", "NO ADVERTISING"),
                ]
        elif agency == "SHUTTERSTOCK":
            ref = f"{r.randint(10**7, 10**8 - 1)}{r.choice('abcdefgh')}"
            credit = f"Photo by {byline}/Shutterstock"
            caption = f"Mandatory Credit: {credit} ({ref})\n{body}\nEditorial use only"
            caption = caption.replace("\n", " ")
            phrases = [
                ("MANDATORY_CREDIT", "Mandatory Credit"),
                ("EDITORIAL_USE_ONLY", "Editorial use only"),
            ]
        else:
            ref = f"{r.randint(10**9, 10**10 - 1)}"
            suffix = "Getty Images" if agency == "GETTY" else "Anadolu via Getty Images"
            credit = f"Photo by {byline}/{suffix}"
            caption = f"{body} ({credit})"
        if r.random() < 0.04:
            until = when + timedelta(days=1)
            embargo = f"EMBARGOED UNTIL {until:%d %B %Y} 00:01 GMT"
            caption = f"{caption} {embargo}"
            phrases.append(("EMBARGO", embargo))
        restrictions = []
        for code, phrase in phrases:
            start = caption.find(phrase)
            restrictions.append(
                {
                    "code": code,
                    "text": phrase,
                    "origin": "caption",
                    "start": start if start >= 0 else None,
                    "end": start + len(phrase) if start >= 0 else None,
                    "evidence": [],
                    "embargo_until": (when + timedelta(days=1)).isoformat()
                    if code == "EMBARGO"
                    else None,
                    "countries_excluded": [],
                    "countries_included": [],
                }
            )
        source = source_name if handout else agency
        rights = {
            "agency": agency,
            "agency_ref": ref,
            "credit_line": credit,
            "source": source,
            "byline": None if handout else byline,
            "copyright": None,
            "handout": handout,
            "pool": False,
            "date": when.date().isoformat(),
            "place": f"{city}, {country}",
            "restrictions": restrictions,
            "embargo_until": next(
                (x["embargo_until"] for x in restrictions if x["embargo_until"]), None
            ),
            "territories": [],
            "parser_version": "bench",
            "unrecognised": [],
            "killed": False,
            "kill_notice": False,
            "kill_reason": None,
            "ingested_at": None,
            "archive_retention_days": None,
            "extra": {},
        }
        embedded: dict[str, Any] = {
            "caption": caption,
            "credit": credit,
            "byline": byline,
            "source": source,
            "city": city,
            "country": country,
            "date_created": when.date().isoformat(),
            "width": 6000,
            "height": 4000,
            "media_type": "image/jpeg",
        }
        if r.random() < 0.7:
            embedded["headline"] = f"{country} {r.choice(TOPICS)}"
        if r.random() < 0.6:
            embedded["keywords"] = r.sample(TOPICS, r.randint(2, 5))
        status = "killed" if r.random() < 0.002 else "active"
        millis = int(created.timestamp() * 1000)
        return Row(
            id=f"{millis:012x}{secrets.token_hex(10)}",
            created_at=created,
            caption=caption,
            agency=agency,
            agency_ref=ref,
            source=source,
            handout=handout,
            status=status,
            rights=rights,
            embedded=embedded,
            codes=sorted({code for code, _ in phrases}),
        )


# --- load --------------------------------------------------------------------------------------

ASSET_COLUMNS = (
    "id, sha256, filename, media_type, width, height, bytes, status, caption, created_at,"
    " updated_at, caption_origin, agency, agency_ref, source, handout, parser_version,"
    " killed_at, kill_reason, rights, embedded, warnings"
)


def _copy_text(value: Any) -> str:
    if value is None:
        return "\\N"
    text = value if isinstance(value, str) else str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _asset_line(row: Row) -> str:
    created = row.created_at.isoformat()
    values = (
        row.id,
        secrets.token_hex(32),
        f"{row.agency_ref}.jpg",
        "image/jpeg",
        6000,
        4000,
        4_800_000,
        row.status,
        row.caption,
        created,
        created,
        "iptc",
        row.agency,
        row.agency_ref,
        row.source,
        "t" if row.handout else "f",
        "bench",
        created if row.status == "killed" else None,
        "agency kill notice" if row.status == "killed" else None,
        json.dumps(row.rights, ensure_ascii=False),
        json.dumps(row.embedded, ensure_ascii=False),
        "[]",
    )
    return "\t".join(_copy_text(v) for v in values) + "\n"


def libpq_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def schema_url(url: str, schema: str) -> str:
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}"


def loaded_rows(url: str, schema: str) -> int | None:
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM information_schema.tables"
            " WHERE table_schema = %s AND table_name = 'asset'",
            (schema,),
        ).fetchone()
        if not exists:
            return None
        count = conn.execute(f'SELECT count(*) FROM "{schema}".asset').fetchone()
        return int(count[0]) if count else None


def check_records(seed: int) -> None:
    """The synthetic rights must be what the catalogue stores: read a sample back as records."""
    from assets.rights_reading import record_from_json

    for row in itertools.islice(Records(seed, 1000), 1000):
        record_from_json(row.rights)


def load(url: str, schema: str, rows: int, seed: int) -> float:
    """Fresh schema, migrations, COPY; returns assets per second of the COPY."""
    check_records(seed)
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        conn.execute(f'CREATE SCHEMA "{schema}"')
    engine = make_engine(schema_url(url, schema))
    upgrade(engine)
    engine.dispose()
    started = time.perf_counter()
    with psycopg.connect(libpq_url(url), autocommit=False) as conn:
        conn.execute(f'SET search_path TO "{schema}"')
        conn.execute("SET synchronous_commit TO off")
        indexes = conn.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes AS i"
            " WHERE i.schemaname = %s AND i.tablename IN ('asset', 'asset_restriction')"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c"
            "   WHERE c.conname = i.indexname AND c.connamespace = %s::regnamespace)",
            (schema, schema),
        ).fetchall()
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        conn.commit()
        columns = [
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(),
        ]
        with Progress(*columns, console=console) as progress:
            task = progress.add_task("COPY asset", total=rows, rate="")
            restriction_lines: list[str] = []
            done = 0
            with conn.cursor().copy(f"COPY asset ({ASSET_COLUMNS}) FROM STDIN") as copy:
                batch: list[str] = []
                for row in Records(seed, rows):
                    batch.append(_asset_line(row))
                    restriction_lines.extend(f"{row.id}\t{code}\n" for code in row.codes)
                    if len(batch) == 5000:
                        copy.write("".join(batch))
                        done += len(batch)
                        batch.clear()
                        rate = done / (time.perf_counter() - started)
                        progress.update(task, completed=done, rate=f"{rate:,.0f} rows/s")
                copy.write("".join(batch))
                done += len(batch)
                progress.update(task, completed=done)
            task2 = progress.add_task(
                "COPY asset_restriction", total=len(restriction_lines), rate=""
            )
            with conn.cursor().copy("COPY asset_restriction (asset_id, code) FROM STDIN") as copy:
                for start in range(0, len(restriction_lines), 50_000):
                    copy.write("".join(restriction_lines[start : start + 50_000]))
                    progress.update(task2, advance=len(restriction_lines[start : start + 50_000]))
        conn.commit()
        copied = time.perf_counter() - started
        console.print(
            f"COPY: {rows:,} assets + {len(restriction_lines):,} restriction rows in"
            f" {copied:.1f} s = [bold]{rows / copied:,.0f} assets/s[/]"
        )
        conn.execute("SET maintenance_work_mem TO '1GB'")
        conn.execute("SET max_parallel_maintenance_workers TO 2")
        for name, definition in indexes:
            began = time.perf_counter()
            with console.status(f"building {name}"):
                conn.execute(definition)
                conn.commit()
            console.print(f"  index {name}: {time.perf_counter() - began:.1f} s")
    with psycopg.connect(libpq_url(url), autocommit=True) as conn, console.status("VACUUM ANALYZE"):
        conn.execute(f'VACUUM ANALYZE "{schema}".asset')
        conn.execute(f'VACUUM ANALYZE "{schema}".asset_restriction')
    total = time.perf_counter() - started
    console.print(
        f"load with indexes and VACUUM ANALYZE: {total:.1f} s = {rows / total:,.0f} assets/s"
    )
    return rows / copied


# --- measure -----------------------------------------------------------------------------------


@dataclass
class Sample:
    millis: float
    request: str


@dataclass
class Workload:
    name: str
    requests: list[Callable[[httpx.Client], httpx.Response]]
    descriptions: list[str]
    samples: list[Sample] = field(default_factory=list)


def start_app(url: str, schema: str, port: int, data_dir: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": schema_url(url, schema),
        "RIGHTSDESK_AUTH": "off",
        "RIGHTSDESK_DATA_DIR": str(data_dir),
        "PYTHONPATH": os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p),
    }
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "api.asgi:app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    log = (data_dir / "app.log").open("wb")  # the app's JSON access log, kept out of the report
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    wait_ready(process, f"http://127.0.0.1:{port}", data_dir / "app.log")
    return process


def sample_keys(url: str, schema: str, count: int) -> tuple[list[str], list[str]]:
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        rows = conn.execute(
            f'SELECT id, agency_ref FROM "{schema}".asset TABLESAMPLE SYSTEM (1)'
            " WHERE agency_ref IS NOT NULL LIMIT %s",
            (count * 3,),
        ).fetchall()
    random.Random(7).shuffle(rows)
    return [r[0] for r in rows[:count]], [r[1] for r in rows[:count]]


def search_queries(rng: random.Random, records: Records) -> list[str]:
    """What picture editors type: places, people, events, topics, and combinations."""
    queries = []
    for i in range(400):
        kind = i % 8
        city, country = records.city()
        person = records.person()
        if kind == 0:
            queries.append(city)
        elif kind == 1:
            queries.append(person.split()[-1])
        elif kind == 2:
            queries.append(f"{person.split()[-1]} {city}")
        elif kind == 3:
            queries.append('"' + rng.choice(EVENTS).split(" ", 1)[1] + '"')
        elif kind == 4:
            queries.append(f"{city} {rng.choice(['protest', 'flooding', 'rally', 'strike'])}")
        elif kind == 5:
            queries.append(f"{rng.choice(SPORTS)} {country}")
        elif kind == 6:
            queries.append(f"{rng.choice(HANDOUT_SOURCES).split()[0].lower()} handout")
        else:
            queries.append(f'"{person}"')
    rng.shuffle(queries)
    return queries


def listing_filters(rng: random.Random, agency_sources: list[str]) -> list[dict[str, str]]:
    now = datetime.now(UTC)
    options: list[dict[str, str]] = []
    for i in range(200):
        kind = i % 8
        if kind == 0:
            options.append({"agency": rng.choice(["EPA", "REUTERS", "AP", "AFP", "GETTY"])})
        elif kind == 1:
            options.append(
                {
                    "restriction": rng.choice(
                        [
                            "NO_SALES",
                            "EDITORIAL_USE_ONLY",
                            "MANDATORY_CREDIT",
                            "NO_ARCHIVES",
                            "EMBARGO",
                        ]
                    )
                }
            )
        elif kind == 2:
            options.append({"status": "killed"})
        elif kind == 3:
            options.append({"handout": "true"})
        elif kind == 4:
            day = now - timedelta(days=rng.randint(1, 1000))
            until = day + timedelta(days=2)
            options.append({"since": day.isoformat(), "until": until.isoformat()})
        elif kind == 5:
            options.append({"agency": "EPA", "restriction": "NO_SALES"})
        elif kind == 6:
            options.append({"source": rng.choice(agency_sources)})
        else:
            options.append({"agency": "AFP", "handout": "true", "status": "active"})
    return options


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def measure(base: str, workloads: list[Workload], samples: int, warmup: int) -> None:
    with httpx.Client(base_url=base, timeout=60) as client, Progress(console=console) as progress:
        for workload in workloads:
            task = progress.add_task(workload.name, total=samples + warmup)
            for i in range(samples + warmup):
                request = workload.requests[i % len(workload.requests)]
                began = time.perf_counter()
                response = request(client)
                elapsed = (time.perf_counter() - began) * 1000
                if response.status_code != 200:
                    console.print(
                        f"[red]{workload.name} not measured[/]:"
                        f" {workload.descriptions[i % len(workload.requests)]}"
                        f" answered {response.status_code}: {response.text[:300]}",
                        markup=True,
                        highlight=False,
                    )
                    workload.samples.clear()
                    break
                if i >= warmup:
                    workload.samples.append(
                        Sample(elapsed, workload.descriptions[i % len(workload.requests)])
                    )
                progress.advance(task)


def build_workloads(url: str, schema: str, seed: int, rows: int) -> list[Workload]:
    ids, refs = sample_keys(url, schema, 1000)
    rng = random.Random(seed + 1)
    records = Records(seed + 2, rows)
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        sources = [
            r[0]
            for r in conn.execute(
                f'SELECT DISTINCT source FROM "{schema}".asset TABLESAMPLE SYSTEM (1)'
            ).fetchall()
        ]

    def get(path: str) -> Callable[[httpx.Client], httpx.Response]:
        return lambda client: client.get(path)

    def listing(params: dict[str, str]) -> str:
        return "/v1/assets?" + urlencode(params)

    filters = listing_filters(rng, sources)
    queries = search_queries(rng, records)
    batches = []
    for i in range(50):
        keys = [
            ids[(i * 100 + j) % len(ids)] if j % 2 else refs[(i * 100 + j) % len(refs)]
            for j in range(100)
        ]
        batches.append(keys)
    use = {"purpose": "editorial", "channel": "web", "territory": "GB"}

    def check(keys: list[str]) -> Callable[[httpx.Client], httpx.Response]:
        return lambda client: client.post("/v1/rights/check", json={"assets": keys, "use": use})

    return [
        Workload("lookup by id", [get(f"/v1/assets/{i}") for i in ids], ids),
        Workload("lookup by agency ref", [get(f"/v1/assets/by-ref/{r}") for r in refs], refs),
        Workload(
            "filtered listing (50)",
            [get(listing(f)) for f in filters],
            [listing(f) for f in filters],
        ),
        Workload(
            "search (q, 50 per page)",
            [get(listing({"q": q})) for q in queries],
            [listing({"q": q}) for q in queries],
        ),
        Workload(
            "search + filter",
            [get(listing({"q": q, "agency": "EPA", "status": "active"})) for q in queries[:100]],
            [listing({"q": q, "agency": "EPA", "status": "active"}) for q in queries[:100]],
        ),
        Workload(
            "check 100",
            [check(b) for b in batches],
            [f"POST /v1/rights/check ({len(b)} assets, first {b[0]})" for b in batches],
        ),
    ]


def report(workloads: list[Workload], load_rate: float | None, rows: int) -> Workload:
    load1, load5, _ = os.getloadavg()
    table = Table(
        title=f"rightsdesk at {rows:,} assets (PostgreSQL, HTTP, sequential;"
        f" {os.cpu_count()} CPUs, load average {load1:.1f} / {load5:.1f})"
    )
    for column in ("request", "n", "p50 ms", "p95 ms", "p99 ms", "max ms", "goal p95"):
        table.add_column(column, justify="right" if column != "request" else "left")
    worst = workloads[0]
    worst_p95 = 0.0
    for workload in workloads:
        values = [s.millis for s in workload.samples]
        if not values:
            table.add_row(workload.name, "0", "-", "-", "-", "-", "[red]not measured[/]")
            continue
        p95 = percentile(values, 0.95)
        goal = next((g for k, g in GOALS_MS.items() if workload.name.startswith(k)), None)
        verdict = (
            ""
            if goal is None
            else (f"[green]< {goal} ok[/]" if p95 < goal else f"[red]< {goal} missed[/]")
        )
        table.add_row(
            workload.name,
            str(len(values)),
            f"{statistics.median(values):.1f}",
            f"{p95:.1f}",
            f"{percentile(values, 0.99):.1f}",
            f"{max(values):.1f}",
            verdict,
        )
        if p95 > worst_p95:
            worst, worst_p95 = workload, p95
    console.print(table)
    if load_rate is not None:
        console.print(f"bulk load (COPY): {load_rate:,.0f} assets/s")
    return worst


def slowest_request(base: str, workload: Workload) -> Sample:
    """Of the ten slowest samples, the one still slowest when asked again (not a hiccup)."""
    candidates = sorted(workload.samples, key=lambda s: s.millis, reverse=True)[:10]
    by_request = {
        workload.descriptions[i]: workload.requests[i] for i in range(len(workload.requests))
    }
    retimed = []
    with httpx.Client(base_url=base, timeout=60) as client:
        for sample in candidates:
            times = []
            for _ in range(3):
                began = time.perf_counter()
                by_request[sample.request](client)
                times.append((time.perf_counter() - began) * 1000)
            retimed.append(Sample(min(times), sample.request))
    return max(retimed, key=lambda s: s.millis)


def explain_slowest(url: str, schema: str, workload: Workload, slowest: Sample) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of the SQL the app runs for the slowest request."""
    console.rule(f"slowest: {workload.name}, {slowest.millis:.1f} ms when repeated")
    console.print(slowest.request, markup=False, highlight=False)
    from sqlalchemy import event
    from sqlmodel import Session

    from assets.catalogue import AssetFilter, get_asset, get_by_ref, list_assets

    engine = make_engine(schema_url(url, schema))
    captured: list[tuple[str, Any]] = []

    def capture(*args: Any) -> None:
        captured.append((args[2], args[3]))

    event.listen(engine, "before_cursor_execute", capture)
    with Session(engine) as session:
        request = slowest.request
        if request.startswith("/v1/assets?"):
            from urllib.parse import parse_qsl

            params = dict(parse_qsl(request.split("?", 1)[1]))
            filters = AssetFilter(
                **{k: v for k, v in params.items() if k in AssetFilter.__dataclass_fields__}
            )
            list_assets(session, filters, 50, None)
        elif workload.name.startswith("lookup by id"):
            get_asset(session, request)
        elif workload.name.startswith("lookup by agency"):
            get_by_ref(session, request)
        else:
            from assets.checks import check_assets
            from assets.clock import utcnow
            from rights import Purpose, Use

            ids, refs = sample_keys(url, schema, 50)
            check_assets(session, ids + refs, Use(purpose=Purpose.EDITORIAL), now=utcnow())
    event.remove(engine, "before_cursor_execute", capture)
    timings = []
    with engine.connect() as conn:
        for statement, params in captured:
            if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            plan = conn.exec_driver_sql(
                "EXPLAIN (ANALYZE, BUFFERS) " + statement, params
            ).fetchall()
            lines = [r[0] for r in plan]
            executed = next(
                (
                    float(x.split(":")[1].split()[0])
                    for x in lines
                    if x.startswith("Execution Time")
                ),
                0.0,
            )
            timings.append((executed, statement, params, lines))
    engine.dispose()
    executed, statement, params, lines = max(timings, key=lambda t: t[0])
    console.print(f"[bold]slowest statement ({executed:.2f} ms):[/]")
    console.print(statement, markup=False, highlight=False)
    shown = repr(params)
    console.print(
        f"params: {shown[:600]}{' ...' if len(shown) > 600 else ''}", markup=False, highlight=False
    )
    console.print("\n".join(lines), markup=False, highlight=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--url", default=os.environ.get("RIGHTSDESK_BENCH_PG_URL", DEFAULT_URL))
    parser.add_argument("--schema", default="bench_scale")
    parser.add_argument(
        "--reuse", action="store_true", help="keep an already loaded schema holding --rows assets"
    )
    parser.add_argument("--drop", action="store_true", help="drop the schema at the end")
    parser.add_argument("--samples", type=int, default=400, help="measured requests per kind")
    parser.add_argument("--warmup", type=int, default=40)
    parser.add_argument("--seed", type=int, default=20261125)
    args = parser.parse_args()

    load_rate = None
    existing = loaded_rows(args.url, args.schema)
    if args.reuse and existing == args.rows:
        console.print(f"reusing schema {args.schema} with {existing:,} assets")
    else:
        load_rate = load(args.url, args.schema, args.rows, args.seed)
    workloads = build_workloads(args.url, args.schema, args.seed, args.rows)
    port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        app = start_app(args.url, args.schema, port, Path(data_dir))
        try:
            measure(f"http://127.0.0.1:{port}", workloads, args.samples, args.warmup)
            worst = report(workloads, load_rate, args.rows)
            slowest = slowest_request(f"http://127.0.0.1:{port}", worst)
        finally:
            app.terminate()
            app.wait(timeout=30)
    explain_slowest(args.url, args.schema, worst, slowest)
    if args.drop:
        with psycopg.connect(libpq_url(args.url), autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{args.schema}" CASCADE')


if __name__ == "__main__":
    main()
