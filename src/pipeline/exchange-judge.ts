// ExchangeJudge: one exchange at a time -> decode -> signature checks -> rules, in arrival order.
import type { ResolvedConfig } from '../config/index.js';
import { decodeExchange } from '../decode/decode-exchange.js';
import type { Anomaly, DecodedExchange, ExchangeId, HttpBody, HttpExchange, Judgement } from '../model/index.js';
import { createRuleEngine, verifySignatures, type FindingRoom, type RuleEngine, type RuleRunResult, type VerificationResult } from '../rules/index.js';

const EMPTY = Buffer.alloc(0);

function slimBody(body: HttpBody): HttpBody {
  return body.bytes.length === 0 ? body : { ...body, bytes: EMPTY, truncated: true };
}

/** The exchange without its bodies: decode has read them; reports need only heads and places. */
function slimExchange(ex: HttpExchange): HttpExchange {
  return {
    ...ex,
    request: { ...ex.request, body: slimBody(ex.request.body) },
    ...(ex.response ? { response: { ...ex.response, body: slimBody(ex.response.body) } } : {}),
  };
}

/**
 * Judges exchanges in the order they are submitted and hands each judgement to `onJudged` in
 * that same order. Signature checks are asynchronous (WebCrypto), so judgements may arrive a
 * little later than `submit`; `drained()` waits for all of them.
 */
export class ExchangeJudge {
  readonly #engine: RuleEngine;
  readonly #config: ResolvedConfig;
  readonly #onJudged: (judgement: Judgement) => void;
  readonly #verify: boolean;
  readonly #room: FindingRoom | undefined;
  #chain: Promise<void> = Promise.resolve();
  /** Exchanges submitted but not yet judged (waiting in the chain). */
  #pending = 0;
  #failure: unknown;

  /**
   * `room`: how many findings of a rule the receiver of the judgements still keeps; findings beyond
   * it come as `unkept` (counts only). It must be read just before `onJudged` is called, as here.
   */
  constructor(config: ResolvedConfig, onJudged: (judgement: Judgement) => void, engine: RuleEngine = createRuleEngine(config), room?: FindingRoom) {
    this.#config = config;
    this.#room = room;
    this.#engine = engine;
    this.#onJudged = onJudged;
    this.#verify = config.trustStore.certificates.length > 0;
  }

  /** Judges an anomaly (what could not be read) at once: capture-level findings, in no exchange. */
  judgeAnomaly(anomaly: Anomaly): RuleRunResult {
    return this.#engine.judgeAnomaly(anomaly);
  }

  /** Judges `exchange`, numbered `exchangeId` in this scan. */
  submit(exchange: HttpExchange, exchangeId: ExchangeId): void {
    const decoded = decodeExchange(exchange, exchangeId);
    const needsVerification = this.#verify && decoded.credentials.some((c) => c.decoded.type === 'jwt');
    if (!needsVerification && this.#pending === 0) {
      // Nothing waits on a signature check: judge now, which keeps the order and costs no promise.
      if (this.#failure === undefined) this.#judgeSafely(decoded);
      return;
    }
    this.#pending++;
    this.#chain = this.#chain
      .then(async () => {
        if (this.#failure !== undefined) return;
        const signatures = needsVerification ? await verifySignatures(decoded, this.#config.trustStore) : undefined;
        this.#judge(decoded, signatures);
      })
      .catch((error: unknown) => {
        this.#failure ??= error;
      })
      .finally(() => {
        this.#pending--;
      });
  }

  #judgeSafely(decoded: DecodedExchange): void {
    try {
      this.#judge(decoded);
    } catch (error) {
      this.#failure ??= error;
    }
  }

  #judge(decoded: DecodedExchange, signatures?: ReadonlyMap<string, VerificationResult>): void {
    const run = this.#engine.run(decoded, signatures, this.#room);
    // Findings, rule errors and sightings refer to the exchange by id: only the decoded exchange changes.
    const slim = { ...decoded, exchange: slimExchange(decoded.exchange) };
    this.#onJudged(run.unkept ? { decoded: slim, findings: run.findings, ruleErrors: run.ruleErrors, unkept: run.unkept } : { decoded: slim, findings: run.findings, ruleErrors: run.ruleErrors });
  }

  /** Resolves when every submitted exchange is judged; rejects with the first failure. */
  async drained(): Promise<void> {
    await this.#chain;
    if (this.#failure !== undefined) throw this.#failure;
  }
}
