//! Command-line definitions (clap). Each command has its own options struct.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "gongshi",
    version,
    about = "公示：把医院风险岗位廉能管理的风险点生成内网公示网站",
    long_about = "gongshi（公示）读取 content/ 中各科室提交的风险点文件，按实施方案的分级规则检查，\n并生成只含可公示内容的静态网站。"
)]
pub struct Cli {
    /// 站点根目录（含 site.yaml 与 content/），默认当前目录
    #[arg(long, global = true, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// 安静：只输出错误
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// 详细：输出更多信息（如黄牌警告汇总）
    #[arg(short, long, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 按实施方案的规则检查全部风险点
    Check(CheckArgs),
    /// 检查后生成公示网站（只含该范围可公示的内容）
    Build(BuildArgs),
    /// 本机预览：生成后在浏览器中查看，修改文件后自动更新，错误直接显示在页面上
    Serve(ServeArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// 带源代码行与提示的可读文本
    Human,
    /// JSON 数组：{rule, severity, file, line, column, message}
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// 检查哪一年度（默认 site.yaml 的 current_year 或最新年度）
    #[arg(long, value_name = "YEAR")]
    pub year: Option<u16>,
    /// 输出格式
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// 生成哪一年度（默认 site.yaml 的 current_year 或最新年度）
    #[arg(long, value_name = "YEAR")]
    pub year: Option<u16>,
    /// 公示范围：全院，或 科室:科室代号（例如 科室:caiwu）
    #[arg(long, value_name = "SCOPE", default_value = "全院")]
    pub scope: String,
    /// 输出目录（默认 站点根目录/output）
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// 预览哪一年度（默认 site.yaml 的 current_year 或最新年度）
    #[arg(long, value_name = "YEAR")]
    pub year: Option<u16>,
    /// 公示范围：全院，或 科室:科室代号（与 build 相同）
    #[arg(long, value_name = "SCOPE", default_value = "全院")]
    pub scope: String,
    /// 监听地址；默认只允许本机访问
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// 端口；0 表示任选一个空闲端口（实际地址会打印出来）
    #[arg(long, short, value_name = "PORT", default_value_t = 1111)]
    pub port: u16,
    /// 启动后用系统浏览器打开预览
    #[arg(long)]
    pub open: bool,
    /// 以轮询方式检查文件变化（用于网络共享目录等收不到变化通知的地方）
    #[arg(long)]
    pub poll: bool,
}
