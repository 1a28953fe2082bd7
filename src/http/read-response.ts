/**
 * A response whose body has been read (within the cap): an `HttpClientResponse` over bytes in
 * memory, its headers read once. What `withBodyCap` hands on, so that every transform after it
 * (and the classification) sees the body without reading the wire again.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Inspectable from "effect/Inspectable"
import type * as Option from "effect/Option"
import { pipeArguments } from "effect/Pipeable"
import type * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import type * as Cookies from "effect/http/Cookies"
import type * as Headers from "effect/http/Headers"
import * as HttpClientError from "effect/http/HttpClientError"
import type * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as HttpIncomingMessage from "effect/http/HttpIncomingMessage"
import * as UrlParams from "effect/http/UrlParams"
import type * as Socket from "effect/socket/Socket"

const utf8 = /* @__PURE__ */ new TextDecoder()

/** The bytes as an `ArrayBuffer` of their own length (a cut body is a view on a larger one). */
const bufferOf = (bytes: Uint8Array): ArrayBuffer =>
  bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength &&
    bytes.buffer instanceof ArrayBuffer
    ? bytes.buffer
    : bytes.slice().buffer

/** A response read into memory: status, URL, request and cookies are the original's. */
export class ReadResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  // The type ids, spelled out: a computed name cannot be declared with isolated declarations.
  readonly "~effect/http/HttpIncomingMessage": typeof HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  readonly "~effect/http/HttpClientResponse": typeof HttpClientResponse.TypeId = HttpClientResponse.TypeId

  constructor(
    /** The response as it came (its body already consumed). */
    readonly source: HttpClientResponse.HttpClientResponse,
    /** Its headers, read once. */
    readonly headers: Headers.Headers,
    /** Its body, or the first bytes of it when it was cut at the cap. */
    readonly bytes: Uint8Array,
  ) {
    super()
  }

  get request(): HttpClientRequest.HttpClientRequest {
    return this.source.request
  }
  get url(): string {
    return this.source.url
  }
  get status(): number {
    return this.source.status
  }
  get cookies(): Cookies.Cookies {
    return this.source.cookies
  }
  get remoteAddress(): Option.Option<string> {
    return this.source.remoteAddress
  }
  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.HttpClientError> {
    return Effect.sync(() => bufferOf(this.bytes))
  }
  get text(): Effect.Effect<string, HttpClientError.HttpClientError> {
    return Effect.sync(() => utf8.decode(this.bytes))
  }
  get json(): Effect.Effect<Schema.Json, HttpClientError.HttpClientError> {
    return Effect.try({
      try: (): Schema.Json => this.bytes.byteLength === 0 ? null : JSON.parse(utf8.decode(this.bytes)),
      catch: (cause) => this.decodeError(cause),
    })
  }
  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.HttpClientError> {
    return Effect.sync(() => UrlParams.fromInput(new URLSearchParams(utf8.decode(this.bytes))))
  }
  get formData(): Effect.Effect<FormData, HttpClientError.HttpClientError> {
    return Effect.tryPromise({
      try: () => new Response(bufferOf(this.bytes), { headers: { ...this.headers } }).formData(),
      catch: (cause) => this.decodeError(cause),
    })
  }
  get stream(): Stream.Stream<Uint8Array, HttpClientError.HttpClientError> {
    return Stream.succeed(this.bytes)
  }
  get upgrade(): Effect.Effect<Socket.Socket, HttpClientError.HttpClientError> {
    return Effect.fail(
      new HttpClientError.HttpClientError({
        reason: new HttpClientError.StatusCodeError({
          request: this.request,
          response: this,
          description: "a response read into memory cannot hand over its connection",
        }),
      }),
    )
  }
  toJSON(): unknown {
    return HttpIncomingMessage.inspect(this, {
      _id: "HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status,
    })
  }
  pipe(): unknown {
    return pipeArguments(this, arguments)
  }

  private decodeError(cause: unknown): HttpClientError.HttpClientError {
    return new HttpClientError.HttpClientError({
      reason: new HttpClientError.DecodeError({ request: this.request, response: this, cause }),
    })
  }
}
