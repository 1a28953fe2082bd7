#!/bin/bash
# two processes on the same write id at once: how often does each activity run?
sql=$1; id=$2; log=exp/log-$id; rm -f $log
${RUNTIME:-node} exp/wf-cluster.mjs $sql $id 3 0 1000 $log > exp/out-$id-a 2>&1 &
a=$!
${RUNTIME:-node} exp/wf-cluster.mjs $sql $id 3 0 1000 $log > exp/out-$id-b 2>&1 &
b=$!
( sleep 60; kill -9 $a $b 2>/dev/null ) & guard=$!
wait $a $b; kill $guard 2>/dev/null
grep -c "^start" $log; grep "^start\|^result" $log | awk '{print $1,$2,$3,$4,$5}'
