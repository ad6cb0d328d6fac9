/**
 * JSON responses for the API surfaces.
 *
 * A standard Response over a string sets up a body stream at construction, which is a large share of
 * an API call's cost when, as in the Node entry, nobody reads it as a stream. JsonResponse is a real
 * Response whose body stream is made only when something asks for it (`body`, `text()`, ...), and
 * the Node entry writes the serialized text directly. Its headers are final once made.
 */
export interface KnownResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

class JsonResponse extends Response {
  readonly #known: KnownResponse;
  #full: Response | undefined;

  constructor(known: KnownResponse) {
    super(null, { status: known.status, headers: known.headers });
    this.#known = known;
  }

  /** The equivalent standard Response, made on first use of the body. */
  #materialize(): Response {
    this.#full ??= new Response(this.#known.text, { status: this.status, statusText: this.statusText, headers: this.headers });
    return this.#full;
  }

  get known(): KnownResponse | undefined {
    return this.#full ? undefined : this.#known;
  }
  override get body(): Response["body"] {
    return this.#materialize().body;
  }
  override get bodyUsed(): boolean {
    return this.#full?.bodyUsed ?? false;
  }
  override text(): Promise<string> {
    return this.#materialize().text();
  }
  override json(): Promise<unknown> {
    return this.#materialize().json();
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    return this.#materialize().arrayBuffer();
  }
  override blob(): Promise<Blob> {
    return this.#materialize().blob();
  }
  override formData(): Promise<FormData> {
    return this.#materialize().formData();
  }
  override clone(): Response {
    return this.#full ? this.#full.clone() : new JsonResponse(this.#known);
  }
}

export function jsonResponse(body: unknown, status: number, headers: Record<string, string>): Response {
  return new JsonResponse({ status, headers, text: JSON.stringify(body) });
}

/** The parts of a response made by jsonResponse, if its body was not touched yet. */
export function knownResponse(res: Response): KnownResponse | undefined {
  return res instanceof JsonResponse ? res.known : undefined;
}
