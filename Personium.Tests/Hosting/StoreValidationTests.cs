using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Personium.Core.Hosting;
using Personium.Core.Security;
using Personium.Core.Storage;
using Personium.Server;

namespace Personium.Tests.Hosting;

/// <summary>
/// A broken store is never reported ready: an overwritten LiteDB header, damaged data pages and a read-only data directory
/// stop the start with a clear message (the sample host exits non-zero with it), and <c>/__health</c> reports a store that
/// becomes unusable while running.
/// </summary>
[NonParallelizable]
public sealed class StoreValidationTests
{
    private string _data = "";

    private string DatabasePath => Path.Combine(_data, "personium.db");

    [SetUp]
    public void CreateDataDirectory() => _data = Directory.CreateTempSubdirectory("personium-validation-").FullName;

    [TearDown]
    public void DeleteDataDirectory()
    {
        if (Directory.Exists(_data)) Directory.Delete(_data, recursive: true);
    }

    private async Task CreateDataAsync()
    {
        await using var unit = PersoniumUnit.Create(o => o.UseUnitUrl("http://localhost/").UseMasterToken("t")
            .UseLiteDb(DatabasePath).UseFileSystem(Path.Combine(_data, "blobs")));
        for (var i = 0; i < 20; i++) await unit.Cells.CreateAsync($"cell{i}", AccessContext.UnitMaster);
        var box = await unit.BoxFiles.OpenAsync("cell0", "__", AccessContext.UnitMaster);
        await box.PutAsync("small.txt", new MemoryStream(new byte[2000]));
    }

    private void OverwriteHeader() => Overwrite(0, 8192);

    /// <summary>Every page after the header.</summary>
    private void DamageDataPages() => Overwrite(8192, new FileInfo(DatabasePath).Length - 8192);

    private void Overwrite(long offset, long count)
    {
        using var file = new FileStream(DatabasePath, FileMode.Open, FileAccess.Write);
        file.Position = offset;
        var garbage = new byte[count];
        Array.Fill(garbage, (byte)0xAB);
        file.Write(garbage);
    }

    private async Task ValidateUnitAsync()
    {
        await using var unit = PersoniumUnit.Create(o => o.UseUnitUrl("http://localhost/").UseMasterToken("t")
            .UseLiteDb(DatabasePath).UseFileSystem(Path.Combine(_data, "blobs")));
        await unit.ValidateAsync();
    }

    [Test]
    public async Task An_overwritten_header_fails_the_unit_with_a_clear_message()
    {
        await CreateDataAsync();
        OverwriteHeader();
        var failure = Assert.ThrowsAsync<StoreUnusableException>(ValidateUnitAsync);
        Assert.That(failure!.Message, Does.Contain(DatabasePath).And.Contain("cannot be opened"));
    }

    [Test]
    public async Task Damaged_data_pages_fail_the_unit_with_a_clear_message()
    {
        await CreateDataAsync();
        DamageDataPages();
        var failure = Assert.ThrowsAsync<StoreUnusableException>(ValidateUnitAsync);
        Assert.That(failure!.Message, Does.Contain(DatabasePath).And.Contain("damaged"));
    }

    [Test]
    public async Task A_sound_store_validates()
    {
        await CreateDataAsync();
        Assert.DoesNotThrowAsync(ValidateUnitAsync);
    }

    [Test]
    public async Task The_sample_host_does_not_start_on_a_damaged_store()
    {
        await CreateDataAsync();
        DamageDataPages();
        var app = BuildSampleHost();
        try
        {
            var failure = Assert.ThrowsAsync<StoreUnusableException>(() => app.StartAsync());
            Assert.That(failure!.Message, Does.Contain("damaged"));
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    [Test]
    public async Task The_sample_host_process_exits_non_zero_with_the_reason()
    {
        await CreateDataAsync();
        OverwriteHeader();
        var start = new ProcessStartInfo(DotnetHost())
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Personium.Server.dll"), "--urls", "http://127.0.0.1:0",
                "--Personium:DataPath", _data, "--Personium:MasterToken", "t", "--Logging:LogLevel:Default", "Warning" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the sample host kept running on a broken store");
        }

        Assert.That(process.ExitCode, Is.EqualTo(1), await stdout);
        Assert.That(await stderr, Does.Contain("Personium cannot start: The LiteDB database " + DatabasePath + " cannot be opened"));
    }

    [Test]
    public async Task A_read_only_data_directory_stops_the_sample_host()
    {
        await CreateDataAsync();
        // Root ignores permission bits: only a read-only mount makes a directory read-only for it.
        if (!TryRun("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", _data + "-ro")) Assert.Ignore("cannot mount a tmpfs here");
        var mounted = _data + "-ro";
        try
        {
            foreach (var file in Directory.EnumerateFiles(_data, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(mounted, Path.GetRelativePath(_data, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }

            Directory.CreateDirectory(Path.Combine(mounted, "blobs"));
            Assert.That(TryRun("mount", "-o", "remount,ro", mounted), Is.True, "remount read-only");
            var app = BuildSampleHost(mounted);
            try
            {
                var failure = Assert.ThrowsAsync<StoreUnusableException>(() => app.StartAsync());
                Assert.That(failure!.Message, Does.Contain(mounted).And.Contain("Read-only file system"));
            }
            finally
            {
                await app.DisposeAsync();
            }
        }
        finally
        {
            TryRun("umount", mounted);
            Directory.Delete(mounted);
        }
    }

    [Test]
    public async Task The_health_endpoint_reports_a_store_that_becomes_unusable()
    {
        await CreateDataAsync();
        var app = BuildSampleHost();
        await app.StartAsync();
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            using var client = new HttpClient { BaseAddress = new Uri(address.TrimEnd('/') + "/") };
            using (var healthy = await client.GetAsync("__health"))
            {
                Assert.That(healthy.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                Assert.That(JsonDocument.Parse(await healthy.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString(),
                    Is.EqualTo("Healthy"));
            }

            // The blob directory replaced by a file: nothing can be stored any more.
            var blobs = Path.Combine(_data, "blobs");
            Directory.Delete(blobs, recursive: true);
            await File.WriteAllTextAsync(blobs, "not a directory");
            using var unhealthy = await client.GetAsync("__health");
            var body = await unhealthy.Content.ReadAsStringAsync();
            Assert.That(unhealthy.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), body);
            var report = JsonDocument.Parse(body).RootElement;
            Assert.That(report.GetProperty("status").GetString(), Is.EqualTo("Unhealthy"));
            Assert.That(report.GetProperty("checks").GetProperty("personium-store").GetProperty("description").GetString(),
                Does.Contain("blob directory").And.Not.Contain(_data), "no file paths on an anonymous endpoint");
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private WebApplication BuildSampleHost(string? dataPath = null)
        => PersoniumServerApp.Configure(PersoniumServerApp.CreateBuilder(["--urls", "http://127.0.0.1:0",
            "--Personium:DataPath", dataPath ?? _data, "--Personium:MasterToken", "t", "--Logging:LogLevel:Default", "None"]).Build());

    private static bool TryRun(string program, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            if (program == "mount" && arguments[^1].EndsWith("-ro", StringComparison.Ordinal)) Directory.CreateDirectory(arguments[^1]);
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }
}
