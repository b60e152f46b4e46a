import { z } from 'zod';
import { problems } from '../../http/openapi';
import { DOCUMENT_CSP, declarationHtml, declarationMarkdown } from './document';
import { type DeclarationRouteContext, EditionParams } from './routeContext';

const tags = ['declarations'];

/** The declaration as documents to print and keep; `audit -- verify-declaration` checks a downloaded one. */
export function documentRoutes({ app, readDeclaration }: DeclarationRouteContext): void {
  app.get('/editions/:id/declaration.md', {
    schema: {
      tags,
      operationId: 'getDeclarationMarkdown',
      summary: 'The declaration as Markdown, with its hash and signature once adopted',
      params: EditionParams,
      produces: ['text/markdown'],
      response: { 200: z.string().describe('the document (see docs/api.md for its layout)'), ...problems(404) },
    },
    handler: async (request, reply) => {
      const declaration = readDeclaration(request, request.params.id);
      return reply
        .type('text/markdown; charset=utf-8')
        .header('content-disposition', `attachment; filename="declaration-${declaration.editionNumber}.md"`)
        .send(declarationMarkdown(declaration));
    },
  });
  app.get('/editions/:id/declaration.html', {
    schema: {
      tags,
      operationId: 'getDeclarationHtml',
      summary: 'The declaration as print-ready HTML (no script), with its hash and signature in the footer',
      params: EditionParams,
      produces: ['text/html'],
      response: { 200: z.string().describe('a self-contained HTML document'), ...problems(404) },
    },
    handler: async (request, reply) => {
      const declaration = readDeclaration(request, request.params.id);
      return reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', DOCUMENT_CSP)
        .header('x-content-type-options', 'nosniff')
        .send(declarationHtml(declaration));
    },
  });
}
