/**
 * What one GraphQL request may cost: depth, static cost, aliases, directives and tokens are
 * checked before execution (GraphQL Armor, plus graphql-depth-limit for depth), and a response
 * larger than GUIDANCE_MAX_RESPONSE_BYTES is replaced by an error. Operation guards refuse reads
 * without the token when reads are protected, and subscriptions sent over plain HTTP.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import depthLimit from 'graphql-depth-limit';
import type { ValidationRule } from 'graphql';
import type { ApiContext } from './context';
import { badRequest, unauthenticated } from './errors';
import type { Limits } from './limits';

export const MAX_QUERY_DEPTH = Number(process.env.GUIDANCE_MAX_QUERY_DEPTH ?? 8);
/** Static cost (GraphQL Armor: 2 per object, 1 per scalar, ×1.5 per level); the dashboard's largest query costs about 1,500. */
export const MAX_QUERY_COST = 5000;
export const MAX_ALIASES = 15;
export const MAX_TOKENS = 2000;

const armor = new ApolloArmor({
  maxDepth: { enabled: false }, // graphql-depth-limit below, the one the subscriptions share
  costLimit: { maxCost: MAX_QUERY_COST },
  maxAliases: { n: MAX_ALIASES },
  maxDirectives: { n: 20 },
  maxTokens: { n: MAX_TOKENS },
  blockFieldSuggestion: { enabled: false }, // the schema is public (introspection is on)
}).protect();

/** Validation rules for HTTP and WebSocket operations alike. */
export function queryLimitRules(): ValidationRule[] {
  return [depthLimit(MAX_QUERY_DEPTH), ...armor.validationRules];
}

export function operationGuards(limits: Limits): ApolloServerPlugin<ApiContext>[] {
  return [
    ...(armor.plugins as ApolloServerPlugin<ApiContext>[]),
    {
      async requestDidStart() {
        return {
          async didResolveOperation({ operation, contextValue }) {
            if (operation?.operation === 'subscription') {
              throw badRequest('operation', 'subscription runs over WebSocket (graphql-ws) at this URL, not over plain HTTP');
            }
            if (operation?.operation === 'query' && !contextValue.mayRead) throw unauthenticated('reads');
          },
          async willSendResponse({ response }) {
            if (response.body.kind !== 'single') return;
            const bytes = Buffer.byteLength(JSON.stringify(response.body.singleResult));
            if (bytes <= limits.maxResponseBytes) return;
            response.body.singleResult = {
              errors: [
                {
                  message: `response would be ${bytes} bytes, more than GUIDANCE_MAX_RESPONSE_BYTES = ${limits.maxResponseBytes}; ask for fewer fields or a smaller page (first)`,
                  extensions: { code: 'RESPONSE_TOO_LARGE', field: '(response)', limit: 'GUIDANCE_MAX_RESPONSE_BYTES' },
                },
              ],
            };
          },
        };
      },
    },
  ];
}
