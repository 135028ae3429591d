export type McpConnectorErrorCode =
  /** The URL or headers of the connection are not usable. */
  | 'invalid_connection'
  /** No answer from the server (DNS, TLS, refused connection). */
  | 'unreachable'
  /** The server refused the credentials (HTTP 401/403). */
  | 'unauthorized'
  /** The server answered, but not as an MCP server. */
  | 'protocol_error'
  /** The server has no tool of that name. */
  | 'tool_not_found'
  /** The tool ran and reported a failure (`isError: true`). */
  | 'tool_failed';

/** Every failure of the MCP connector, with a stable code and a message for a person. */
export class McpConnectorError extends Error {
  constructor(
    readonly code: McpConnectorErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'McpConnectorError';
  }
}
