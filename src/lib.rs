//! gongshi (公示): turns a hospital's integrity-risk programme (风险岗位廉能管理) into a static
//! intranet notice. The pipeline is load → check → select audience → render → write.

pub mod flow;
