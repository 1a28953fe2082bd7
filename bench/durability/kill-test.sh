#!/bin/bash
# usage: kill-test.sh <sql> <id> <pauseMs> <insideMs> <kill-when-log-matches>
sql=$1; id=$2; pause=$3; inside=$4; pattern=$5; log=exp/log-$id
rm -f $log
${RUNTIME:-node} exp/wf-cluster.mjs $sql $id 3 $pause $inside $log > exp/out-$id-1 2>&1 &
pid=$!
for i in $(seq 1 300); do grep -q "$pattern" $log 2>/dev/null && break; sleep 0.05; done
kill -9 $pid; wait $pid 2>/dev/null
echo "killed $pid after: $(grep "$pattern" $log | head -1)"
/usr/bin/time -f "second run wall=%es" timeout 120 ${RUNTIME:-node} exp/wf-cluster.mjs $sql $id 3 0 $inside $log > exp/out-$id-2 2>&1
cat exp/out-$id-2
cat $log
