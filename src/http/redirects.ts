/**
 * Same-origin redirects: a GET's 3xx answer is followed to its `Location` when that is on the
 * base URL's origin and carries no user name or password, at most {@link MAX_REDIRECTS} times;
 * a POST's never (it would turn into a GET, or send the body again elsewhere). Every hop goes
 * through the client below, so each takes its own rate-limit permit.
 *
 * `HttpClient.followRedirects` is not used: it follows a redirect to any origin (it only drops
 * the `authorization` header there), turns a POST answered 301/302 into a GET, and gives back the
 * last redirect without saying why it stopped; here the credential is only ever sent to one
 * origin, and a redirect that is not followed is the answer, with a note saying why
 * ({@link refusal}).
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import type * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as UrlParams from "effect/http/UrlParams"
import { discard } from "./body.ts"

/** The most same-origin redirects followed. */
export const MAX_REDIRECTS = 5

/** A status treated as a redirect (304 is an answer, not a redirect). */
export const isRedirect = (status: number): boolean => status >= 300 && status < 400 && status !== 304

/**
 * Whether a URL carries a user name or password. `fetch` refuses such a URL (a network error,
 * which would be retried as one), and what it holds is a credential: a redirect to one is not
 * followed, and its error says why without quoting it.
 */
const hasUserInfo = (url: URL): boolean => url.username !== "" || url.password !== ""

/** What to do with a redirect: follow it to `next`, or stop, for the reason given. */
export type Verdict =
  | { readonly _tag: "Follow"; readonly next: URL }
  | { readonly _tag: "Refuse"; readonly note: string }

const refuse = (note: string): Verdict => ({ _tag: "Refuse", note })

/**
 * Judges a redirect answer to `request`, the `hops`-th of its call (0 for the first answer).
 * `scrub` removes the credential from the `Location` quoted in a note.
 */
export const judge = (
  request: HttpClientRequest.HttpClientRequest,
  response: HttpClientResponse.HttpClientResponse,
  origin: string,
  hops: number,
  scrub: (text: string) => string,
): Verdict => {
  if (request.method !== "GET") return refuse("a redirect of a POST, not followed")
  const location = response.headers["location"]
  if (location === undefined) return refuse("a redirect without a Location header")
  let next: URL
  try {
    next = new URL(location, request.url)
  } catch {
    return refuse(`a redirect to an unusable Location (${JSON.stringify(scrub(location).slice(0, 100))})`)
  }
  if (next.origin !== origin) {
    return refuse(
      `a redirect to another origin (${next.origin}), not followed so that the credential is only ever sent to ${origin}`,
    )
  }
  if (hasUserInfo(next)) {
    return refuse(
      "a redirect to a Location with a user name or password (not followed: fetch refuses such a URL, and a credential does not belong in one)",
    )
  }
  return hops >= MAX_REDIRECTS ? refuse(`more than ${MAX_REDIRECTS} redirects`) : { _tag: "Follow", next }
}

/**
 * Why a redirect that is the answer of a call was not followed, for its error: the verdict
 * {@link withSameOriginRedirects} reached, found again from the answer and its request (one that
 * could have been followed was the one past the limit).
 */
export const refusal = (
  response: HttpClientResponse.HttpClientResponse,
  origin: string,
  scrub: (text: string) => string,
): string | undefined => {
  if (!isRedirect(response.status)) return undefined
  const verdict = judge(response.request, response, origin, MAX_REDIRECTS, scrub)
  return verdict._tag === "Refuse" ? verdict.note : undefined
}

/** The request of the next hop: the same method, headers and body, to the `Location` as it resolved. */
const nextHop = (
  request: HttpClientRequest.HttpClientRequest,
  next: URL,
): HttpClientRequest.HttpClientRequest =>
  HttpClientRequest.makeWith(
    request.method,
    next.href,
    UrlParams.empty,
    Option.none(),
    request.headers,
    request.body,
  )

/** Asks `fetch` not to follow redirects, keeping the rest of any `RequestInit` the application gave. */
const manualRedirects = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.flatMap(
    Effect.serviceOption(FetchHttpClient.RequestInit),
    (init) =>
      Effect.provideService(effect, FetchHttpClient.RequestInit, {
        ...Option.getOrElse(init, () => ({})),
        redirect: "manual",
      }),
  )

/**
 * Follows a GET's same-origin redirects (a transform over every hop): each hop is sent through
 * the client below (the budget's permit, the credential's headers); a redirect followed is let go
 * unread, one that is not is handed on as the answer. `fetch` is asked not to follow redirects by
 * itself, so that the credential never goes to another origin whatever the platform does.
 */
export const withSameOriginRedirects =
  (origin: string, scrub: (text: string) => string) =>
  <E, R>(self: HttpClient.HttpClient.With<E, R>): HttpClient.HttpClient.With<E, R> =>
    HttpClient.makeWith(
      (prepared) =>
        manualRedirects(Effect.flatMap(prepared, (first) => {
          const hop = (
            request: HttpClientRequest.HttpClientRequest,
            hops: number,
          ): Effect.Effect<HttpClientResponse.HttpClientResponse, E, R> =>
            Effect.flatMap(self.postprocess(Effect.succeed(request)), (response) => {
              if (!isRedirect(response.status)) return Effect.succeed(response)
              const verdict = judge(request, response, origin, hops, scrub)
              return verdict._tag === "Refuse" ? Effect.succeed(response) : Effect.andThen(
                discard(response),
                hop(nextHop(request, verdict.next), hops + 1),
              )
            })
          return hop(first, 0)
        })),
      self.preprocess,
    )
