// Deep imports of `natural` (its top level loads database clients and prints to stdout).
declare module 'natural/lib/natural/stemmers/porter_stemmer' {
  const PorterStemmer: { stem(word: string): string };
  export = PorterStemmer;
}
declare module 'natural/lib/natural/stemmers/indonesian/stemmer_id' {
  const StemmerId: { stem(word: string): string };
  export = StemmerId;
}
declare module 'node-nlp' {
  export class NlpManager {
    constructor(settings?: Record<string, unknown>);
    addDocument(locale: string, utterance: string, intent: string): void;
    train(): Promise<void>;
    process(locale: string, utterance: string): Promise<{ intent: string; score: number; locale?: string }>;
  }
}
declare module '@nlpjs/lang-ms' {
  export class StemmerMs {
    stemWord(word: string): string;
  }
}
