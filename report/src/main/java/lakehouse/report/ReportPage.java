package lakehouse.report;

import java.util.List;
import lakehouse.report.ReportFacts.CheckHistory;

/**
 * Renders the whole report as one self-contained HTML page: inline CSS, inline SVG charts, no
 * script and no external asset, so it opens offline from a file or an artifact store.
 */
public final class ReportPage {
  private static final String CSS =
      """
      :root{--fg:#1f2933;--muted:#616e7c;--line:#d9e2ec;--bg:#f5f7fa;--card:#fff;
      --ok:#2f855a;--bad:#c53030;--warn:#b7791f;--accent:#2b6cb0}
      *{box-sizing:border-box}
      body{margin:0;font:14px/1.45 "DejaVu Sans",Helvetica,Arial,sans-serif;color:var(--fg);
      background:var(--bg)}
      header{background:#102a43;color:#fff;padding:18px 28px}
      header h1{margin:0 0 4px;font-size:22px}
      header p{margin:0;color:#bcccdc}
      nav{background:#243b53;padding:8px 28px}
      nav a{color:#d9e2ec;margin-right:18px;text-decoration:none;font-weight:bold}
      main{padding:8px 28px 40px;max-width:1280px}
      h2{margin:28px 0 10px;padding-bottom:4px;border-bottom:2px solid var(--line)}
      h3{margin:0 0 6px;font-size:16px} h3 small{color:var(--muted);font-weight:normal}
      h4{margin:12px 0 6px;font-size:14px}
      .cards{display:flex;gap:12px;flex-wrap:wrap;margin-top:16px}
      .summary{background:var(--card);border:1px solid var(--line);border-radius:6px;
      padding:10px 16px;min-width:150px}
      .summary b{display:block;font-size:24px}
      .summary.bad b{color:var(--bad)}
      .card{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:14px;
      margin:12px 0}
      .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(560px,1fr));gap:0 14px}
      .grid .card{margin:7px 0}
      .columns{display:flex;gap:28px;flex-wrap:wrap}
      table{border-collapse:collapse;background:var(--card);margin:6px 0 10px}
      th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
      th{background:#e4e7eb;font-size:12px;text-transform:uppercase;letter-spacing:.03em}
      td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
      td.warn,.meter.warn .share{color:var(--warn);font-weight:bold}
      td.hash{font-family:monospace}
      section{overflow-x:auto}
      .runs-table td:last-child{max-width:420px;overflow-wrap:anywhere}
      .status{font-weight:bold}
      .status.passed,.status.succeeded{color:var(--ok)}
      .status.failed{color:var(--bad)} .status.warned{color:var(--warn)}
      .status.skipped{color:var(--muted)}
      .note{color:var(--muted);font-style:italic}
      .note.missing{background:#fffbea;border-left:4px solid var(--warn);padding:6px 10px;
      font-style:normal;color:var(--fg)}
      .facts{color:var(--muted);margin:0 0 8px}
      figure{margin:8px 0} figcaption{color:var(--muted);font-size:12px}
      svg.chart{max-width:100%;height:auto;font-size:11px}
      svg .plot{fill:#fbfcfd;stroke:var(--line)}
      svg .grid,svg .axis{stroke:var(--line)}
      svg .tick{fill:var(--muted)}
      svg .series{fill:none;stroke:var(--accent);stroke-width:2}
      svg .point{fill:var(--accent)}
      svg .threshold{stroke:var(--bad);stroke-dasharray:6 4;stroke-width:1.5}
      svg .threshold-label{fill:var(--bad);font-weight:bold}
      svg .bar{fill:var(--accent)} svg .bar.flagged{fill:var(--bad)}
      svg .value{fill:var(--fg)}
      svg .ref{fill:#9aa5b1} svg .cur{fill:var(--accent)}
      .status.drift-error{color:var(--bad)} .status.drift-warn{color:var(--warn)}
      .status.drift-ok{color:var(--ok)} .status.drift-ignored{color:var(--muted)}
      .mark.passed{fill:var(--ok)} .mark.failed{fill:var(--bad)} .mark.warned{fill:var(--warn)}
      .mark.skipped,.mark.unknown{fill:#9aa5b1}
      .bar-track{display:inline-block;width:120px;height:10px;background:#e4e7eb;
      border-radius:5px;vertical-align:middle;overflow:hidden}
      .bar-fill{display:block;height:100%;background:var(--accent)}
      .meter.warn .bar-fill{background:var(--warn)}
      a{color:var(--accent)}
      """;

  private ReportPage() {}

  public static String render(ReportFacts facts) {
    StringBuilder html = new StringBuilder(64 * 1024);
    html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>")
        .append(Html.esc(facts.title()))
        .append("</title><style>")
        .append(CSS)
        .append("</style></head><body>");
    html.append("<header><h1>")
        .append(Html.esc(facts.title()))
        .append("</h1><p>")
        .append("generated ")
        .append(Html.esc(Html.time(facts.generatedAt())))
        .append(" · lake ")
        .append(Html.esc(facts.lakeRoot()))
        .append("</p></header>");
    html.append("<nav><a href=\"#tables\">Tables</a><a href=\"#quality\">Quality checks</a>")
        .append("<a href=\"#training-sets\">Training sets</a>")
        .append("<a href=\"#drift\">Feature drift</a>")
        .append("<a href=\"#registry\">Feature registry</a><a href=\"#runs\">Recent runs</a>")
        .append("<a href=\"#ops\">Operational tables</a></nav><main>");
    html.append(summary(facts));
    html.append(
        TablesSection.render(
            facts.tables(), facts.tableNotes(), facts.lakeRoot(), facts.generatedAt()));
    html.append(QualitySection.render(facts.checks(), facts.checksNote()));
    html.append(TrainingSetsSection.render(facts.trainingSets(), facts.trainingNote()));
    html.append(DriftSection.render(facts.drift(), facts.driftNote()));
    html.append(
        GridSection.render(
            "registry",
            "Feature registry",
            "Current definition of every registered feature.",
            facts.registry(),
            facts.registryNote()));
    html.append(
        GridSection.render(
            "runs",
            "Recent runs",
            "Newest job runs from _ops.runs.",
            facts.runs(),
            facts.runsNote()));
    html.append("<section id=\"ops\"><h2>Operational tables</h2>");
    html.append(
        facts.opsTables().isEmpty()
            ? "<p class=\"note\">None yet.</p>"
            : TablesSection.overview(
                "ops-overview", facts.opsTables(), facts.generatedAt(), false));
    html.append("</section></main></body></html>\n");
    return html.toString();
  }

  private static String summary(ReportFacts facts) {
    long failing =
        facts.checks() == null
            ? 0
            : facts.checks().stream()
                .map(CheckHistory::latest)
                .filter(p -> "failed".equals(p.status()))
                .count();
    int status = facts.runs() == null ? -1 : facts.runs().headers().indexOf("status");
    long failedRuns =
        status < 0
            ? 0
            : facts.runs().rows().stream().filter(row -> "failed".equals(row.get(status))).count();
    StringBuilder html = new StringBuilder("<div class=\"cards\" id=\"summary\">");
    card(html, "summary-tables", "tables", facts.tables().size(), false);
    card(
        html,
        "summary-checks",
        "quality checks",
        facts.checks() == null ? 0 : facts.checks().size(),
        false);
    card(html, "summary-failing", "checks failing now", failing, failing > 0);
    card(
        html,
        "summary-training-sets",
        "training-set builds",
        facts.trainingSets() == null ? 0 : facts.trainingSets().size(),
        false);
    long drifting =
        facts.drift() == null
            ? 0
            : facts.drift().stream()
                .flatMap(d -> d.features().stream())
                .filter(f -> "error".equals(f.severity()))
                .count();
    card(html, "summary-drift", "features drifting (error)", drifting, drifting > 0);
    card(html, "summary-failed-runs", "failed runs (recent)", failedRuns, failedRuns > 0);
    return html.append("</div>").toString();
  }

  private static void card(StringBuilder html, String id, String label, long value, boolean bad) {
    html.append("<div class=\"summary")
        .append(bad ? " bad" : "")
        .append("\" id=\"")
        .append(id)
        .append("\"><b>")
        .append(Html.esc(Html.count(value)))
        .append("</b>")
        .append(Html.esc(label))
        .append("</div>");
  }

  /** Sections shown, in order (the page's contract with its tests and readers). */
  public static final List<String> SECTIONS =
      List.of("tables", "quality", "training-sets", "drift", "registry", "runs", "ops");
}
