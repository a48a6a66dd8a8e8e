// GraphQL errors shaped as Linear sends them: `extensions.type` is what
// @linear/sdk's parseLinearError reads to pick its error class, `code` is
// what people and other clients read.
import { GraphQLError } from 'graphql';

export function invalidInput(message: string, userPresentableMessage = message): GraphQLError {
  return new GraphQLError(message, {
    extensions: { type: 'invalid input', code: 'INPUT_ERROR', userError: true, userPresentableMessage },
  });
}

export function entityNotFound(kind: string): GraphQLError {
  return invalidInput(`Entity not found: ${kind}`, `Could not find referenced ${kind}.`);
}

export function authenticationError(): GraphQLError {
  return new GraphQLError('Authentication required, not authenticated', {
    extensions: {
      type: 'authentication error', code: 'AUTHENTICATION_ERROR', userError: true,
      userPresentableMessage: 'You need to authenticate to access this operation.',
    },
  });
}

export function rateLimitedError(): GraphQLError {
  return new GraphQLError('Rate limit exceeded', {
    extensions: {
      type: 'ratelimited', code: 'RATELIMITED', userError: true,
      userPresentableMessage: 'Too many requests. Please try again later.',
    },
  });
}
