// A parser for the JQL subset the sandbox serves: clauses joined by AND, OR and
// NOT with parentheses, operators = != > >= < <= ~ !~ IN, NOT IN, IS, IS NOT,
// quoted and unquoted values, EMPTY/NULL, and ORDER BY. Errors read like Jira's.
import { JiraSandboxError } from './types.js';

export type JqlOperator = '=' | '!=' | '>' | '>=' | '<' | '<=' | '~' | '!~' | 'in' | 'not in' | 'is' | 'is not';

export type JqlExpr =
  | { type: 'and'; items: JqlExpr[] }
  | { type: 'or'; items: JqlExpr[] }
  | { type: 'not'; expr: JqlExpr }
  | { type: 'clause'; field: string; op: JqlOperator; values: string[]; empty: boolean };

export interface JqlQuery {
  where: JqlExpr | null;
  orderBy: Array<{ field: string; direction: 'asc' | 'desc' }>;
}

interface Token {
  kind: 'word' | 'string' | 'op' | 'punct';
  text: string;
  at: number;
}

const OPERATORS = ['!=', '>=', '<=', '!~', '=', '>', '<', '~'];

function tokenize(jql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < jql.length) {
    const ch = jql.charAt(i);
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ kind: 'punct', text: ch, at: i++ });
    } else if (ch === '"' || ch === "'") {
      let text = '';
      let j = i + 1;
      while (j < jql.length && jql.charAt(j) !== ch) {
        if (jql.charAt(j) === '\\' && j + 1 < jql.length) j++;
        text += jql.charAt(j++);
      }
      if (j >= jql.length) throw jqlError(`The quoted string starting at character ${i + 1} has not been completed.`);
      tokens.push({ kind: 'string', text, at: i });
      i = j + 1;
    } else {
      const op = OPERATORS.find((o) => jql.startsWith(o, i));
      if (op) {
        tokens.push({ kind: 'op', text: op, at: i });
        i += op.length;
        continue;
      }
      const match = /^[^\s(),=!<>~"']+/.exec(jql.slice(i));
      if (!match) throw jqlError(`The character '${ch}' is a reserved JQL character (line 1, character ${i + 1}).`);
      tokens.push({ kind: 'word', text: match[0], at: i });
      i += match[0].length;
    }
  }
  return tokens;
}

export function jqlError(detail: string): JiraSandboxError {
  return new JiraSandboxError(400, [`Error in the JQL Query: ${detail}`]);
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): JqlQuery {
    let where: JqlExpr | null = null;
    if (this.peek() && !this.isWord('order')) where = this.or();
    const orderBy: JqlQuery['orderBy'] = [];
    if (this.isWord('order')) {
      this.pos++;
      this.expectWord('by');
      do {
        const field = this.value('a field to order by');
        const direction = this.isWord('asc') || this.isWord('desc') ? (this.next().text.toLowerCase() as 'asc' | 'desc') : 'asc';
        orderBy.push({ field: field.toLowerCase(), direction });
      } while (this.eatPunct(','));
    }
    const extra = this.peek();
    if (extra) throw jqlError(`Expecting either 'OR' or 'AND' but got '${extra.text}'. (line 1, character ${extra.at + 1})`);
    return { where, orderBy };
  }

  private or(): JqlExpr {
    const items = [this.and()];
    while (this.isWord('or')) {
      this.pos++;
      items.push(this.and());
    }
    return items.length === 1 ? (items[0] as JqlExpr) : { type: 'or', items };
  }

  private and(): JqlExpr {
    const items = [this.unary()];
    while (this.isWord('and')) {
      this.pos++;
      items.push(this.unary());
    }
    return items.length === 1 ? (items[0] as JqlExpr) : { type: 'and', items };
  }

  private unary(): JqlExpr {
    if (this.isWord('not')) {
      this.pos++;
      return { type: 'not', expr: this.unary() };
    }
    if (this.eatPunct('(')) {
      const expr = this.or();
      if (!this.eatPunct(')')) throw jqlError("Expecting ')' before the end of the query.");
      return expr;
    }
    return this.clause();
  }

  private clause(): JqlExpr {
    const field = this.value('a field name').toLowerCase();
    const op = this.operator();
    if (op === 'is' || op === 'is not') {
      if (!this.isWord('empty') && !this.isWord('null')) throw jqlError(`Expecting 'EMPTY' after '${op.toUpperCase()}'.`);
      this.pos++;
      return { type: 'clause', field, op, values: [], empty: true };
    }
    if (op === 'in' || op === 'not in') {
      if (!this.eatPunct('(')) throw jqlError(`Expecting '(' after '${op.toUpperCase()}'.`);
      const values: string[] = [];
      if (!this.eatPunct(')')) {
        do values.push(this.value('a value'));
        while (this.eatPunct(','));
        if (!this.eatPunct(')')) throw jqlError("Expecting ')' to close the list.");
      }
      return { type: 'clause', field, op, values, empty: false };
    }
    if (this.isWord('empty') || this.isWord('null')) {
      this.pos++;
      return { type: 'clause', field, op, values: [], empty: true };
    }
    return { type: 'clause', field, op, values: [this.value('a value')], empty: false };
  }

  private operator(): JqlOperator {
    const token = this.peek();
    if (token?.kind === 'op') return this.next().text as JqlOperator;
    if (this.isWord('in')) {
      this.pos++;
      return 'in';
    }
    if (this.isWord('is')) {
      this.pos++;
      if (this.isWord('not')) {
        this.pos++;
        return 'is not';
      }
      return 'is';
    }
    if (this.isWord('not')) {
      this.pos++;
      this.expectWord('in');
      return 'not in';
    }
    throw jqlError(`Expecting operator but got '${token?.text ?? 'the end of the query'}'.`);
  }

  private value(what: string): string {
    const token = this.peek();
    if (!token || (token.kind !== 'word' && token.kind !== 'string')) {
      throw jqlError(`Expecting ${what} but got '${token?.text ?? 'the end of the query'}'.`);
    }
    return this.next().text;
  }

  private expectWord(word: string): void {
    if (!this.isWord(word)) throw jqlError(`Expecting '${word.toUpperCase()}'.`);
    this.pos++;
  }

  private isWord(word: string): boolean {
    const token = this.peek();
    return token?.kind === 'word' && token.text.toLowerCase() === word;
  }

  private eatPunct(punct: string): boolean {
    if (this.peek()?.kind === 'punct' && this.peek()?.text === punct) {
      this.pos++;
      return true;
    }
    return false;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private next(): Token {
    const token = this.tokens[this.pos++];
    if (!token) throw jqlError('Unexpected end of the query.');
    return token;
  }
}

export function parseJql(jql: string): JqlQuery {
  return new Parser(tokenize(jql)).parse();
}
