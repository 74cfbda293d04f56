import * as grpc from '@grpc/grpc-js';
import { spawn } from 'node:child_process';
import { Empty } from 'google-protobuf/google/protobuf/empty_pb';
import { ResourceProviderClient } from '@pulumi/pulumi/proto/provider_grpc_pb';
import { PluginInfo } from '@pulumi/pulumi/proto/plugin_pb';

/**
 * The version a resource plugin binary reports to the engine (GetPluginInfo), asked the way the engine
 * asks it: the plugin is started with an engine address, prints its port and answers over gRPC. The
 * address is never dialled for this call.
 */
export async function pluginVersion(binary: string): Promise<string> {
  const plugin = spawn(binary, ['127.0.0.1:1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const port = await new Promise<string>((resolve, reject) => {
      let output = '';
      plugin.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const line = /^(\d+)\s*$/m.exec(output);
        if (line) resolve(line[1]);
      });
      plugin.on('error', reject);
      plugin.on('exit', (code) => reject(new Error(`${binary} exited ${code} before printing its port`)));
    });
    const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    try {
      const info = await new Promise<PluginInfo>((resolve, reject) =>
        client.getPluginInfo(new Empty(), (error, response) => (error ? reject(error) : resolve(response))),
      );
      return info.getVersion();
    } finally {
      client.close();
    }
  } finally {
    plugin.kill();
  }
}
