package dev.diffah.transport.registry;

import io.netty.handler.codec.http.HttpMethod;
import java.util.Map;

/**
 * One registry API call: method, path under the registry's base URL (e.g.
 * {@code /v2/app/manifests/v1}), extra headers, and what it is for in error messages.
 */
record RegistryRequest(HttpMethod method, String path, Map<String, String> headers, String what) {
  RegistryRequest {
    headers = Map.copyOf(headers);
  }

  static RegistryRequest get(String path, String what) {
    return new RegistryRequest(HttpMethod.GET, path, Map.of(), what);
  }

  static RegistryRequest head(String path, String what) {
    return new RegistryRequest(HttpMethod.HEAD, path, Map.of(), what);
  }

  RegistryRequest withHeader(String name, String value) {
    var copy = new java.util.HashMap<>(headers);
    copy.put(name, value);
    return new RegistryRequest(method, path, copy, what);
  }
}
