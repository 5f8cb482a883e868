// Dashboard: the blessed screen over a DashboardModel: panels, keys, mouse, throttled redraws.
import type { Readable, Writable } from 'node:stream';
import blessed from 'blessed';
import type { Widgets } from 'blessed';
import Grid from 'blessed-contrib/lib/layout/grid.js';
import sparkline from 'blessed-contrib/lib/widget/sparkline.js';
import type { Finding, Severity } from '../model/index.js';
import { timestampToIso, worstOfCounts } from '../model/index.js';
import type { Judgement } from '../model/index.js';
import { shouldColor } from '../report/format-color.js';
import type { ReportMeta } from '../report/report-meta.js';
import { plural, redactedUri, requestPath, streamOf } from '../report/scan-view.js';
import { terminalSafe } from '../report/terminal-safe.js';
import { DashboardModel } from './dashboard-model.js';
import { detailLines } from './detail-view.js';
import { humanDuration } from '../report/jwt-text.js';
import { SCHEME_BUCKETS, type ExchangeRow } from './exchange-row.js';
import { exportFindings } from './export-findings.js';
import { FULL_LAYOUT_SIZE, COMPACT_LAYOUT_SIZE, layoutModeFor, type LayoutMode } from './terminal.js';

export interface DashboardOptions {
  /** What is being inspected, for the status bar: capture files, or `proxy on 127.0.0.1:8080`. */
  readonly source: string;
  /** The capture files, recorded in exported reports. */
  readonly files: readonly string[];
  readonly rulesFile?: string;
  readonly showSecrets: boolean;
  /** Report metadata for `e` (export), given the worst severity seen so far. */
  readonly meta: (worst: Severity | undefined) => ReportMeta;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The terminal; default process.stdin / process.stdout. */
  readonly input?: Readable;
  readonly output?: Writable;
  /** Keep the cursor on the newest exchange (live proxy). */
  readonly follow?: boolean;
  /** Exchanges kept in memory (oldest dropped first). */
  readonly capacity?: number;
  /** Where `e` writes; default the current directory. */
  readonly exportDirectory?: string;
}

type PaneName = 'exchanges' | 'findings' | 'detail';

interface Panels {
  readonly mode: LayoutMode;
  readonly root: Widgets.BoxElement;
  readonly exchanges?: Widgets.BoxElement;
  readonly findings?: Widgets.BoxElement;
  readonly detail?: Widgets.BoxElement;
  readonly schemes?: Widgets.BoxElement;
  readonly timeline?: ReturnType<typeof sparkline>;
  readonly status?: Widgets.BoxElement;
}

/** At most 10 redraws a second. */
const MIN_REDRAW_INTERVAL_MS = 100;

const SEVERITY_COLORS: Readonly<Record<Severity, string>> = { error: 'red', warning: 'yellow', note: 'cyan' };
const PANE_TITLES: Readonly<Record<PaneName, string>> = { exchanges: 'Exchanges', findings: 'Findings', detail: 'Detail' };

/**
 * `text` cut or padded to exactly `width` columns (an ellipsis marks a cut), control characters
 * escaped first: every table cell passes here, so traffic cannot reach the terminal raw.
 */
export function fit(value: string, width: number): string {
  if (width <= 0) return '';
  const text = terminalSafe(value);
  if (text.length <= width) return text.padEnd(width);
  return width === 1 ? '…' : `${text.slice(0, width - 1)}…`;
}

/** Columns inside the borders. */
function innerWidth(box: Widgets.BoxElement): number {
  return Math.max(1, (box.width as number) - (box.iwidth as number));
}

/** Rows of a list pane under its header line. */
function listHeight(box: Widgets.BoxElement): number {
  return Math.max(1, (box.height as number) - (box.iheight as number) - 1);
}

export class Dashboard {
  readonly model: DashboardModel;
  readonly #options: DashboardOptions;
  readonly #screen: Widgets.Screen;
  readonly #color: boolean;
  #panels: Panels;
  #focus: PaneName = 'exchanges';
  #state = 'starting';
  #message = '';
  #prompt: Widgets.TextboxElement | undefined;
  #renderTimer: NodeJS.Timeout | undefined;
  #lastRender = 0;
  #detailSeq = -1;
  #closed = false;
  readonly #quit: Promise<void>;
  #resolveQuit!: () => void;

  constructor(options: DashboardOptions) {
    this.#options = options;
    this.#color = shouldColor({ isTTY: true }, options.env);
    this.model = new DashboardModel({ follow: options.follow === true, ...(options.capacity ? { capacity: options.capacity } : {}) });
    this.#quit = new Promise((resolve) => {
      this.#resolveQuit = resolve;
    });
    // @types/blessed has IScreenOptions' input and output types swapped: pass them through a cast.
    const streams = { ...(options.input ? { input: options.input } : {}), ...(options.output ? { output: options.output } : {}) };
    this.#screen = blessed.screen({
      ...(streams as Pick<Widgets.IScreenOptions, 'input' | 'output'>),
      smartCSR: true,
      fullUnicode: true,
      dockBorders: true,
      autoPadding: true,
      warnings: false,
      title: 'oauth-inspect',
    });
    this.#panels = this.#layout();
    this.#bindKeys();
    this.#screen.on('resize', () => {
      this.#panels.root.destroy();
      this.#panels = this.#layout();
      this.#detailSeq = -1;
      this.renderNow();
    });
    this.renderNow();
  }

  /** Resolves when the user quits (`q`, Ctrl-C). */
  whenQuit(): Promise<void> {
    return this.#quit;
  }

  push(judgement: Judgement): void {
    this.model.push(judgement);
    this.#requestRender();
  }

  countAnomaly(): void {
    this.model.counts.anomalies++;
    this.#requestRender();
  }

  /** Findings about the capture itself (what could not be read): counted, and the latest said in the status bar. */
  pushCaptureFindings(findings: readonly Finding[]): void {
    for (const finding of findings) {
      this.model.counts.findings[finding.severity]++;
      this.#message = terminalSafe(`${finding.severity} ${finding.ruleId}: ${finding.message} (fix: ${finding.fix})`);
    }
    this.#requestRender();
  }

  /** A one-line message for the status bar (the latest one shows). */
  log(line: string): void {
    this.#message = line;
    this.#requestRender();
  }

  /** `scanning…`, `done`, `listening`: shown in the status bar. */
  setState(state: string): void {
    this.#state = state;
    this.#requestRender();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#renderTimer);
    this.#screen.destroy();
    this.#resolveQuit();
  }

  /** Redraws now (the throttle calls this; the benchmark times it). */
  renderNow(): void {
    if (this.#closed) return;
    clearTimeout(this.#renderTimer);
    this.#renderTimer = undefined;
    this.#lastRender = performance.now();
    const p = this.#panels;
    if (p.exchanges) this.#drawExchanges(p.exchanges);
    if (p.findings) this.#drawFindings(p.findings);
    if (p.detail) this.#drawDetail(p.detail);
    if (p.schemes) this.#drawSchemes(p.schemes);
    if (p.timeline) this.#drawTimeline(p.timeline);
    if (p.status) this.#drawStatus(p.status);
    this.#screen.render();
  }

  #requestRender(): void {
    if (this.#closed || this.#renderTimer) return;
    const wait = Math.max(0, MIN_REDRAW_INTERVAL_MS - (performance.now() - this.#lastRender));
    this.#renderTimer = setTimeout(() => this.renderNow(), wait);
  }

  #fg(color: string, text: string): string {
    return this.#color ? `{${color}-fg}${text}{/${color}-fg}` : text;
  }

  #label(pane: PaneName): string {
    return this.#focus === pane ? `[${PANE_TITLES[pane]}]` : ` ${PANE_TITLES[pane]} `;
  }

  #layout(): Panels {
    const screen = this.#screen;
    const mode = layoutModeFor(screen.width as number, screen.height as number);
    if (mode === 'too-small') {
      const root = blessed.box({
        parent: screen,
        top: 'center',
        left: 'center',
        width: '100%',
        height: '100%',
        tags: false,
        content:
          `Terminal too small (${String(screen.width)}x${String(screen.height)}): oauth-inspect needs at least ` +
          `${COMPACT_LAYOUT_SIZE.cols}x${COMPACT_LAYOUT_SIZE.rows} (${FULL_LAYOUT_SIZE.cols}x${FULL_LAYOUT_SIZE.rows} for every panel). ` +
          'Enlarge it, or press q to quit.',
      });
      return { mode, root };
    }
    const statusHeight = mode === 'full' ? 2 : 1;
    const root = blessed.box({ parent: screen, top: 0, left: 0, width: '100%', height: '100%' });
    const area = blessed.box({ parent: root, top: 0, left: 0, width: '100%', height: `100%-${statusHeight}` });
    const grid = new Grid({ screen: area, rows: 12, cols: 12, color: this.#color ? 'cyan' : 'default' });
    const pane = (name: PaneName, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
      label: this.#label(name),
      tags: true,
      wrap: name === 'detail',
      style: { border: { fg: this.#color ? 'cyan' : 'default' }, label: { bold: true } },
      ...extra,
    });
    const scrollable = { scrollable: true, alwaysScroll: true, mouse: true, scrollbar: { ch: ' ', style: { inverse: true } } };
    const status = blessed.box({ parent: root, bottom: 0, left: 0, width: '100%', height: statusHeight, tags: true, wrap: false });
    let panels: Panels;
    if (mode === 'full') {
      panels = {
        mode,
        root,
        status,
        exchanges: grid.set(0, 0, 7, 7, blessed.box, pane('exchanges')),
        detail: grid.set(0, 7, 7, 5, blessed.box, pane('detail', scrollable)),
        findings: grid.set(7, 0, 5, 4, blessed.box, pane('findings')),
        schemes: grid.set(7, 4, 5, 3, blessed.box, { label: ' Auth schemes ', tags: true, wrap: false }),
        timeline: grid.set(7, 7, 5, 5, sparkline, {
          label: ' Timeline ',
          tags: true,
          style: { fg: this.#color ? 'green' : 'default', titleFg: this.#color ? 'white' : 'default' },
        }),
      };
    } else {
      panels = {
        mode,
        root,
        status,
        exchanges: grid.set(0, 0, 6, 12, blessed.box, pane('exchanges')),
        detail: grid.set(6, 0, 6, 12, blessed.box, pane('detail', scrollable)),
      };
    }
    if (mode === 'compact' && this.#focus === 'findings') this.#focus = 'exchanges';
    this.#bindMouse(panels);
    return panels;
  }

  #bindMouse(panels: Panels): void {
    const listPane = (box: Widgets.BoxElement | undefined, name: 'exchanges' | 'findings'): void => {
      if (!box) return;
      const view = name === 'exchanges' ? this.model.exchanges : this.model.findings;
      box.on('click', (data: Widgets.Events.IMouseEventArg) => {
        // Rows start under the top border and the header line.
        const index = view.top + (data.y - (box.atop as number) - (box.itop as number) - 1);
        if (index >= view.top) view.moveTo(index);
        this.#setFocus(name);
      });
      box.on('wheeldown', () => {
        view.move(3);
        this.#requestRender();
      });
      box.on('wheelup', () => {
        view.move(-3);
        this.#requestRender();
      });
    };
    listPane(panels.exchanges, 'exchanges');
    listPane(panels.findings, 'findings');
    panels.detail?.on('click', () => this.#setFocus('detail'));
  }

  #panes(): PaneName[] {
    return this.#panels.mode === 'full' ? ['exchanges', 'findings', 'detail'] : ['exchanges', 'detail'];
  }

  #setFocus(pane: PaneName): void {
    this.#focus = pane;
    const p = this.#panels;
    for (const name of ['exchanges', 'findings', 'detail'] as const) p[name]?.setLabel(this.#label(name));
    this.#requestRender();
  }

  #bindKeys(): void {
    const screen = this.#screen;
    const on = (keys: string[], action: () => void): void => {
      screen.key(keys, () => {
        if (this.#prompt || this.#closed) return;
        action();
        this.#requestRender();
      });
    };
    on(['q', 'C-c'], () => this.#resolveQuit());
    on(['up', 'k'], () => this.#move(-1));
    on(['down', 'j'], () => this.#move(1));
    on(['pageup'], () => this.#move(-this.#pageSize()));
    on(['pagedown', 'space'], () => this.#move(this.#pageSize()));
    on(['home', 'g'], () => this.#move(-Number.MAX_SAFE_INTEGER));
    on(['end', 'S-g'], () => this.#move(Number.MAX_SAFE_INTEGER));
    on(['tab'], () => this.#cycleFocus(1));
    on(['S-tab'], () => this.#cycleFocus(-1));
    on(['enter'], () => this.#enter());
    on(['escape'], () => {
      if (this.#focus === 'detail') this.#setFocus('exchanges');
    });
    on(['/'], () => this.#askFilter());
    on(['e'], () => void this.#export());
  }

  #pageSize(): number {
    const box = this.#focus === 'findings' ? this.#panels.findings : this.#panels.exchanges;
    return box ? listHeight(box) : 1;
  }

  #move(delta: number): void {
    if (this.#focus === 'detail') {
      const detail = this.#panels.detail;
      if (!detail) return;
      const lines = Math.abs(delta) === Number.MAX_SAFE_INTEGER ? (detail.getScrollHeight() * Math.sign(delta)) : delta;
      detail.scroll(lines);
      return;
    }
    (this.#focus === 'findings' ? this.model.findings : this.model.exchanges).move(delta);
  }

  #cycleFocus(step: number): void {
    const panes = this.#panes();
    const at = panes.indexOf(this.#focus);
    this.#setFocus(panes[(at + step + panes.length) % panes.length] ?? 'exchanges');
  }

  #enter(): void {
    if (this.#focus === 'findings') {
      const entry = this.model.selectedFinding;
      if (entry && !this.model.exchanges.select(entry.row.seq)) this.#message = 'that exchange is no longer held, or the filter hides it';
    }
    this.#setFocus(this.#focus === 'detail' ? 'exchanges' : 'detail');
  }

  #askFilter(): void {
    const prompt = blessed.textbox({
      parent: this.#screen,
      bottom: 0,
      left: 0,
      height: 1,
      width: '100%',
      style: this.#color ? { bg: 'blue', fg: 'white' } : { inverse: true },
      value: this.model.filter.text,
    });
    this.#prompt = prompt;
    const label = blessed.text({ parent: this.#screen, bottom: 1, left: 0, height: 1, content: 'filter (host:, rule:, scheme:, sev:, text; Enter applies, Esc cancels):' });
    this.#screen.render();
    prompt.readInput((_error, value) => {
      label.destroy();
      prompt.destroy();
      this.#prompt = undefined;
      if (typeof value === 'string') {
        this.model.setFilter(value);
        this.#detailSeq = -1;
      }
      this.renderNow();
    });
  }

  async #export(): Promise<void> {
    const entries = this.model.listedFindings();
    try {
      const path = await exportFindings(
        this.#options.exportDirectory ?? process.cwd(),
        this.#options.files,
        entries,
        this.#options.meta(this.#worstSeverity()),
        this.#options.showSecrets,
      );
      this.log(`exported ${plural(entries.length, 'finding')} to ${path}${this.#options.showSecrets ? ' (unmasked)' : ' (masked)'}`);
    } catch (error) {
      this.log(`export failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  #worstSeverity(): Severity | undefined {
    return worstOfCounts(this.model.counts.findings);
  }

  #drawExchanges(box: Widgets.BoxElement): void {
    const inner = innerWidth(box);
    const height = listHeight(box);
    // time stream (entry N for HAR, sid N for a Fiddler archive) method host path status scheme findings
    const fixed = { time: 12, stream: 8, method: 7, status: 3, scheme: 9, count: 3 };
    const flexible = Math.max(10, inner - (fixed.time + fixed.stream + fixed.method + fixed.status + fixed.scheme + fixed.count + 7));
    const hostWidth = Math.max(4, Math.floor(flexible * 0.4));
    const pathWidth = Math.max(4, flexible - hostWidth);
    const columns = (time: string, stream: string, method: string, host: string, path: string, status: string, scheme: string, count: string): string =>
      [
        fit(time, fixed.time),
        fit(stream, fixed.stream),
        fit(method, fixed.method),
        fit(host, hostWidth),
        fit(path, pathWidth),
        fit(status, fixed.status),
        fit(scheme, fixed.scheme),
        fit(count, fixed.count),
      ].join(' ');
    const lines = [`{bold}${blessed.escape(columns('time', 'stream', 'method', 'host', 'path', 'sts', 'auth', 'fnd'))}{/bold}`];
    const selected = this.model.exchanges.selectedSeq;
    for (const row of this.model.visibleRows(height)) {
      const ex = row.judgement.decoded.exchange;
      const text = columns(
        timestampToIso(ex.request.time).slice(11, 23),
        ex.entry !== undefined ? `entry ${ex.entry}` : ex.session !== undefined ? `sid ${ex.session}` : String(streamOf(ex) ?? '-'),
        ex.request.method,
        row.host,
        requestPath(redactedUri(row.judgement.decoded, this.#options.showSecrets)),
        ex.response ? String(ex.response.status) : '-',
        row.scheme,
        String(row.judgement.findings.length),
      );
      lines.push(this.#rowLine(text, row, row.seq === selected, this.#focus === 'exchanges'));
    }
    if (this.model.exchanges.length === 0) lines.push(this.model.counts.exchanges === 0 ? 'no exchanges yet' : 'no exchange matches the filter');
    box.setContent(lines.join('\n'));
  }

  #rowLine(text: string, row: ExchangeRow, selected: boolean, focused: boolean): string {
    const escaped = blessed.escape(text);
    const colored = row.worst ? this.#fg(SEVERITY_COLORS[row.worst], escaped) : escaped;
    if (!selected) return colored;
    return focused ? `{inverse}${colored}{/inverse}` : `{underline}${colored}{/underline}`;
  }

  #drawFindings(box: Widgets.BoxElement): void {
    const inner = innerWidth(box);
    const height = listHeight(box);
    const ruleWidth = Math.min(28, Math.max(12, Math.floor(inner * 0.4)));
    const messageWidth = Math.max(4, inner - ruleWidth - 10);
    const lines = [`{bold}${blessed.escape(`${fit('severity', 8)} ${fit('rule', ruleWidth)} ${fit('message', messageWidth)}`)}{/bold}`];
    const selected = this.model.findings.selectedSeq;
    for (const entry of this.model.visibleFindings(height)) {
      const f = entry.finding;
      const text = `${fit(f.severity, 8)} ${fit(f.ruleId, ruleWidth)} ${fit(f.message, messageWidth)}`;
      const escaped = this.#fg(SEVERITY_COLORS[f.severity], blessed.escape(text));
      const focused = this.#focus === 'findings';
      lines.push(entry.seq !== selected ? escaped : focused ? `{inverse}${escaped}{/inverse}` : `{underline}${escaped}{/underline}`);
    }
    if (this.model.findings.length === 0) lines.push(this.model.findingStore.nextSeq === 0 ? 'no findings' : 'no finding matches the filter');
    box.setContent(lines.join('\n'));
  }

  #drawDetail(box: Widgets.BoxElement): void {
    const row = this.model.selectedRow;
    const seq = row?.seq ?? -1;
    if (seq === this.#detailSeq) return;
    this.#detailSeq = seq;
    box.setContent(row ? blessed.escape(detailLines(row, this.#options.showSecrets).join('\n')) : 'select an exchange');
    box.setScrollPerc(0);
  }

  #drawSchemes(box: Widgets.BoxElement): void {
    const inner = innerWidth(box);
    const counts = this.model.counts.schemes;
    const total = Math.max(1, this.model.counts.exchanges);
    const numberWidth = String(Math.max(...SCHEME_BUCKETS.map((b) => counts[b]))).length;
    const barWidth = Math.max(1, inner - 10 - numberWidth - 1);
    const bar = this.#screen.fullUnicode ? '█' : '#';
    const lines = SCHEME_BUCKETS.map((bucket) => {
      const count = counts[bucket];
      const length = count === 0 ? 0 : Math.max(1, Math.round((barWidth * count) / total));
      return `${fit(bucket, 10)}${this.#fg('magenta', bar.repeat(length))}${' '.repeat(barWidth - length)} ${String(count).padStart(numberWidth)}`;
    });
    box.setContent(lines.join('\n'));
  }

  #drawTimeline(chart: ReturnType<typeof sparkline>): void {
    const timeline = this.model.timeline;
    const width = innerWidth(chart);
    const used = timeline.used;
    const from = Math.max(0, used - width);
    const per = humanDuration(timeline.secondsPerBucket);
    chart.setData(
      [`requests (${per} per mark)`, 'findings'],
      [timeline.requests.slice(from, used), timeline.findings.slice(from, used)],
    );
  }

  #drawStatus(box: Widgets.BoxElement): void {
    const c = this.model.counts;
    const findings = c.findings.error + c.findings.warning + c.findings.note;
    const shown = this.model.filter.text ? ` (${this.model.exchanges.length} shown)` : '';
    const parts = [
      `${this.#options.source}`,
      this.#state,
      `${plural(c.exchanges, 'exchange')}${shown}`,
      `${plural(findings, 'finding')}: ${c.findings.error} error, ${c.findings.warning} warning, ${c.findings.note} note`,
      ...(c.anomalies > 0 ? [`${plural(c.anomalies, 'anomaly', 'anomalies')} (docs/anomalies.md)`] : []),
      ...(this.model.filter.text ? [`filter: ${this.model.filter.text}`] : []),
      `rules: ${this.#options.rulesFile ?? '(defaults)'}`,
      ...(this.#options.showSecrets ? ['SECRETS SHOWN'] : []),
      ...(this.#panels.mode === 'compact' && this.#message ? [this.#message] : []),
    ];
    const keys = 'q quit  arrows/j k move  Enter detail  Tab pane  / filter  e export';
    const status = blessed.escape(terminalSafe(parts.join(' | ')));
    const message = this.#message ? blessed.escape(terminalSafe(this.#message)) : keys;
    box.setContent(this.#panels.mode === 'full' ? `{inverse}${status}{/inverse}\n${message}` : `{inverse}${status}{/inverse}`);
  }
}
