// Every document the Linear adapter sends must parse and validate against
// Linear's published schema (test/fixtures/linear/schema.graphql, MIT, see the
// README beside it), stay well under Linear's 10,000-point cap per query, and the
// sandbox's own SDL must be a true subset of that schema.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  buildSchema, getNamedType, isInputObjectType, isInterfaceType, isObjectType, Kind, parse, TypeInfo, validate,
  visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema,
} from 'graphql';
import { ALL_DOCUMENTS } from '../../src/trackers/linear/documents.js';
import { LINEAR_SANDBOX_SDL } from '../../sandbox/linear/schema-sdl.js';

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const schemaPath = resolve(repositoryRoot, 'test/fixtures/linear/schema.graphql');

function linearSchema(): GraphQLSchema {
  if (!existsSync(schemaPath)) {
    throw new Error(`Linear's schema is expected at ${schemaPath} (test/fixtures/linear/schema.graphql, a fixture kept in the repository)`);
  }
  return buildSchema(readFileSync(schemaPath, 'utf8'));
}

/**
 * Linear's documented scoring: 0.1 per scalar field, 1 per object, and a
 * connection's selection multiplied by its `first` (50 when absent).
 */
function complexity(schema: GraphQLSchema, document: DocumentNode): number {
  const typeInfo = new TypeInfo(schema);
  const fragments = new Map(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])),
  );
  // A connection's `first` multiplies what sits under its `nodes`, not its pageInfo.
  const multipliers: number[] = [1];
  const firsts: number[] = [];
  let total = 0;
  const score = (node: DocumentNode | (typeof document.definitions)[number]) =>
    visit(node, visitWithTypeInfo(typeInfo, {
      Field: {
        enter(field) {
          const type = typeInfo.getType();
          const parent = typeInfo.getParentType();
          const named = type ? getNamedType(type) : undefined;
          const isObject = named !== undefined && (isObjectType(named) || isInterfaceType(named));
          const isConnection = isObject && named.name.endsWith('Connection');
          let factor = multipliers.at(-1) ?? 1;
          if (parent?.name.endsWith('Connection') && field.name.value === 'nodes') factor *= firsts.at(-1) ?? 50;
          total += factor * (isObject ? (isConnection ? 0 : 1) : 0.1);
          if (isConnection) {
            const first = field.arguments?.find((a) => a.name.value === 'first')?.value;
            firsts.push(first?.kind === Kind.INT ? Number(first.value) : 50);
          }
          multipliers.push(factor);
        },
        leave() {
          multipliers.pop();
          const type = typeInfo.getType();
          const named = type ? getNamedType(type) : undefined;
          if (named?.name.endsWith('Connection')) firsts.pop();
        },
      },
      FragmentSpread(spread) {
        const fragment = fragments.get(spread.name.value);
        if (fragment) score(fragment);
      },
    }));
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) score(definition);
  }
  return Math.round(total);
}

describe('Linear documents', () => {
  const schema = linearSchema();

  for (const [name, source] of Object.entries(ALL_DOCUMENTS)) {
    it(`${name} parses and validates against Linear's schema, and costs well under 10,000 points`, () => {
      const document = parse(source);
      expect(validate(schema, document).map((e) => e.message)).toEqual([]);
      const points = complexity(schema, document);
      expect(points).toBeGreaterThan(0);
      expect(points).toBeLessThan(5_000);
    });
  }

  it('scores the documents the way the estimates in documents.ts say', () => {
    const points = (name: string) => complexity(schema, parse(ALL_DOCUMENTS[name] ?? ''));
    expect(points('ISSUE_WITH_ANCESTRY')).toBeLessThan(450);
    expect(points('OPEN_ISSUES_PAGE')).toBeLessThan(2_000);
    expect(points('ISSUE_IDS_PAGE')).toBeLessThan(150);
    expect(points('DONE_ISSUES_PAGE')).toBeLessThan(2_000);
    expect(points('CUSTOMER_NEEDS_PAGE')).toBeLessThan(1_500);
    expect(points('PROJECT_HEALTH_PAGE')).toBeLessThan(400);
    expect(points('INITIATIVE_HEALTH_PAGE')).toBeLessThan(400);
  });
});

describe('the sandbox schema', () => {
  it("is a subset of Linear's: same types, fields, arguments and nullability", () => {
    const linear = linearSchema();
    const sandbox = buildSchema(LINEAR_SANDBOX_SDL);
    const mismatches: string[] = [];
    for (const type of Object.values(sandbox.getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      const theirs = linear.getType(type.name);
      if (!theirs) {
        mismatches.push(`${type.name}: no such type`);
        continue;
      }
      if (!(isObjectType(type) || isInterfaceType(type) || isInputObjectType(type))) continue;
      if (!(isObjectType(theirs) || isInterfaceType(theirs) || isInputObjectType(theirs))) continue;
      const theirFields = theirs.getFields();
      for (const [fieldName, field] of Object.entries(type.getFields())) {
        const other = theirFields[fieldName];
        if (!other) mismatches.push(`${type.name}.${fieldName}: no such field`);
        else if (String(other.type) !== String(field.type)) {
          mismatches.push(`${type.name}.${fieldName}: ${String(field.type)} here, ${String(other.type)} in Linear`);
        } else if ('args' in field && 'args' in other) {
          for (const arg of field.args) {
            const theirArg = other.args.find((a) => a.name === arg.name);
            if (String(theirArg?.type) !== String(arg.type)) mismatches.push(`${type.name}.${fieldName}(${arg.name})`);
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});
