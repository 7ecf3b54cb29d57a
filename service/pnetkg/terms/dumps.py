"""The files a build writes and the service hands out, with their media types."""

DUMP_NQUADS = "pnet-kg.nq"
DUMP_TRIG = "pnet-kg.trig"
DUMP_TURTLE = "pnet-kg.ttl"
MAPPINGS_SSSOM = "mappings.sssom.tsv"
MAPPINGS_REPORT = "mappings-report.json"
MANIFEST = "manifest.json"

#: what /download/<name> serves
DUMPS = {
    DUMP_NQUADS: "application/n-quads",
    DUMP_TRIG: "application/trig",
    DUMP_TURTLE: "text/turtle",
    MAPPINGS_SSSOM: "text/tab-separated-values",
}
